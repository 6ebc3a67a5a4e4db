// What this browser can do. Printing needs Web Serial (desktop Chrome and Edge); everything else
// (preparing, slicing, previewing, the library) works in any modern browser.

export interface BrowserSupport {
  webSerial: boolean;
  secureContext: boolean;
  serviceWorker: boolean;
}

export function detectBrowserSupport(): BrowserSupport {
  return {
    webSerial: 'serial' in navigator,
    secureContext: window.isSecureContext,
    serviceWorker: 'serviceWorker' in navigator,
  };
}

export const NO_WEB_SERIAL_MESSAGE =
  'This browser cannot connect to a printer: printing over USB needs Chrome or Edge on a desktop or laptop ' +
  'computer. You can still prepare, slice and preview here.';

export const INSECURE_CONTEXT_MESSAGE =
  'Sliceport is not running from a secure address, so it cannot connect to printers or work offline. ' +
  'Open it over https:// or from http://localhost.';
