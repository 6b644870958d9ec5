// The ForgeRock Token Vault proxy page script, as its README sets it up; its configuration is a
// JSON block in the page, like ours.
import { proxy } from '@forgerock/token-vault';

proxy(JSON.parse(document.getElementById('tokenvault-config').textContent));
