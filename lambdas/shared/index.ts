export { systemClock, ManualClock, type Clock } from './clock.js';
export { jsonLogger, silentLogger, memoryLogger, type Logger, type LogLevel, type LogFields } from './logger.js';
export { escapeHtml, html, trusted, SafeHtml } from './html.js';
