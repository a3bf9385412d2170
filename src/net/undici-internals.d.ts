// Types for the undici modules imported by path (src/http.ts): undici's index loads
// fetch, WebSocket, cookies and mock code too, ~100 ms a fetching run does not need.
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import { EnvHttpProxyAgent } from 'undici';
  export default EnvHttpProxyAgent;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  import { Dispatcher } from 'undici';
  export default Dispatcher;
}
declare module 'undici/lib/api/api-connect.js' {
  import { Dispatcher } from 'undici';
  const connect: Dispatcher['connect'];
  export default connect;
}
declare module 'undici/lib/web/fetch/index.js' {
  export { fetch } from 'undici';
}
