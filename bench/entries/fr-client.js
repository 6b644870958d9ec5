// What an app ships of the ForgeRock Token Vault client (for the size comparison).
export { client } from '@forgerock/token-vault';
