export { compilePattern, compileRedaction } from './compile.ts';
export { createRedactionStage, type RedactionStage, redactRequest } from './redact-request.ts';
