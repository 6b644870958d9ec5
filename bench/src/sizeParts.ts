import { OUR_ENTRIES, buildEntry, type Stubs } from './bundles.js';

// What each part of our bundles costs, brotli: the bundle built as shipped, less the bundle built
// with that part replaced by a stand-in that does nothing. The parts are the ones a smaller bundle
// would have to give up (or replace); what is left is the vault's own messaging and logic.

const noBodyChannel = 'export const receiveBody=(p)=>p,sendBody=(b)=>b,parseBodyMessage=(d)=>d,BODY_CHUNK_BYTES=1,BODY_WINDOW_CHUNKS=1,BodyControlSchemas={};';
const noGuards = 'export const parseProxyReply=(d)=>d,parseWorkerMessage=(d)=>d,PAGE_REPLIES={},FETCH_REPLIES={};';
const noConfigChecks =
  'export const DEFAULT_TIMEOUTS={proxyMs:1e4,upstreamMs:3e4};export const resolveInterceptorConfig=(c)=>({issuerOrigin:new URL(c.issuer).origin,opOrigins:[new URL(c.issuer).origin],rules:c.rules,timeouts:DEFAULT_TIMEOUTS}),resolveProxyConfig=(c)=>c;export const fillInterceptorConfig=resolveInterceptorConfig;';
const valibotNames =
  'strictObject string literal picklist pipe number integer minValue maxValue regex tuple maxLength array nullable instance optional url minLength check variant object is custom'.split(
    ' ',
  );
const noValibot = `const f=()=>({});export const ${valibotNames.map((name) => `${name}=f`).join(',')},safeParse=(s,d)=>({success:true,output:d});`;

/** Each bundle's parts, as stand-ins by the end of the path of the module they replace (bench/test/sizeParts.test.ts checks that each stand-in has every export of its module). */
export const PARTS: Record<keyof typeof OUR_ENTRIES, Record<string, Stubs>> = {
  worker: {
    'workbox-routing and workbox-core (stand-in: one fetch listener)': {
      'workbox-routing/index.mjs':
        "export const registerRoute=(m,h)=>self.addEventListener('fetch',(e)=>{const url=new URL(e.request.url);if(m({url,request:e.request}))e.respondWith(h({url,request:e.request,event:e}))});" +
        'export class Route{constructor(m,h,method){this.m=m;this.h=h;this.method=method}}' +
        "export class Router{r=[];registerRoute(r){this.r.push(r)}addFetchListener(){self.addEventListener('fetch',(e)=>{const url=new URL(e.request.url);const r=this.r.find((r)=>r.method===e.request.method&&r.m({url,request:e.request,event:e}));if(r)e.respondWith(r.h({url,request:e.request,event:e}))})}}",
      'workbox-core/index.mjs': "export const clientsClaim=()=>self.addEventListener('activate',()=>self.clients.claim());",
    },
    'configuration checks': { 'config/dist/config.js': noConfigChecks },
    'WebKit body channel (receiving end)': { 'protocol/dist/bodyChannel.js': noBodyChannel },
    'guards on replies and worker messages': { 'protocol/dist/replies.js': noGuards },
  },
  client: {
    'WorkerLink (register, claim or reload, update, reconnect)': { 'client/dist/WorkerLink.js': 'export const workerLink=()=>({control(){},connect(){}});' },
    'WebKit body channel (receiving end)': { 'protocol/dist/bodyChannel.js': noBodyChannel },
    'guards on replies and worker messages': { 'protocol/dist/replies.js': noGuards },
  },
  proxy: {
    'valibot (schemas of what the app origin sends)': { 'valibot/dist/index.mjs': noValibot },
    'configuration checks': { 'config/dist/config.js': noConfigChecks },
    'WebKit body channel (sending end)': { 'protocol/dist/bodyChannel.js': noBodyChannel },
    // Every export idb-keyval has (a stand-in missing one the proxy imports fails the build).
    'idb-keyval': {
      'idb-keyval/dist/index.js':
        'const f=()=>0;export const clear=f,createStore=f,del=f,delMany=f,entries=f,get=f,getMany=f,keys=f,promisifyRequest=f,set=f,setMany=f,update=f,values=f;',
    },
  },
};

/** Brotli bytes of each bundle built from source, and what each of its parts adds to it. */
export async function sizeParts(): Promise<Record<string, { total: number; parts: Record<string, number> }>> {
  const out: Record<string, { total: number; parts: Record<string, number> }> = {};
  for (const [name, { entry, format }] of Object.entries(OUR_ENTRIES)) {
    const total = (await buildEntry(entry, format)).brotli;
    const parts: Record<string, number> = {};
    for (const [part, stubs] of Object.entries(PARTS[name as keyof typeof OUR_ENTRIES])) parts[part] = total - (await buildEntry(entry, format, stubs)).brotli;
    out[name] = { total, parts };
  }
  return out;
}
