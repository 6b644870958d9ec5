export { startNginx, SITE_TEMPLATE, MAIN_TEMPLATE, type NginxOptions, type RunningNginx } from './startNginx.js';
