// The silent_redirect_uri page: hands the OP's prompt=none answer to the app page's UserManager.
import { UserManager } from 'oidc-client-ts';
import { settings } from './settings.js';

void new UserManager(settings).signinCallback();
