// The Printer and History views use the page's one shared storage connection.

export { appStorage as panelStorage } from '../../app/app-storage.js';
