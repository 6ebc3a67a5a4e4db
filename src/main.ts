import './app/sliceport-app.js';
