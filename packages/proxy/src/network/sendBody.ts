// The body channel's sending end, for an engine that cannot transfer a stream (WebKit): a chunk of
// its own, which encodeBody loads on the first body that needs it.
export { sendBody } from '@tokenvault/protocol';
