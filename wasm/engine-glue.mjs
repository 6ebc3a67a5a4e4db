// Turns the Emscripten glue of our CuraEngine build into the module the app loads: `emscripten_run_script`
// routed to a host function (the page's Content Security Policy has no 'unsafe-eval'), environment probing
// off (our loader supplies the compiled wasm, the output and the exit handling, in the worker and in Node),
// and hooks for the out-of-memory path and for signs of life. Each patch must match exactly once in the
// glue of Emscripten 3.1.6 (Debian 12), or the build stops and says which one failed.

/** Patterns that a strict CSP refuses; none may remain in a glue we ship. */
export const forbiddenInGlue = [/\beval\s*\(/, /new\s+Function\s*\(/, /(?<![.\w])Function\s*\(/, /setTimeout\s*\(\s*["'`]/];

/** Throws when the glue still holds something a strict CSP refuses. */
export function assertGlueWithoutEval(glue, where) {
  for (const pattern of forbiddenInGlue) {
    if (pattern.test(glue)) throw new Error(`${where}: the engine glue still contains ${pattern}; a strict Content Security Policy would refuse it`);
  }
}

const patches = [
  {
    why: 'route emscripten_run_script to a host function instead of eval',
    from: 'function _emscripten_run_script(ptr){eval(UTF8ToString(ptr))}',
    to: 'function _emscripten_run_script(ptr){Module["runScript"](UTF8ToString(ptr))}',
  },
  {
    why: 'no environment probing: the host supplies the compiled wasm, the output and the exit handling',
    from:
      'var ENVIRONMENT_IS_WEB=typeof window=="object";var ENVIRONMENT_IS_WORKER=typeof importScripts=="function";var ENVIRONMENT_IS_NODE=typeof process=="object"&&typeof process.versions=="object"&&typeof process.versions.node=="string";',
    to: 'var ENVIRONMENT_IS_WEB=false;var ENVIRONMENT_IS_WORKER=false;var ENVIRONMENT_IS_NODE=false;',
  },
  {
    why: 'a host-chosen heap ceiling, and a signal when the heap cannot grow (out of memory)',
    from: 'var maxHeapSize=_emscripten_get_heap_max();if(requestedSize>maxHeapSize){return false}',
    to: 'var maxHeapSize=Math.min(_emscripten_get_heap_max(),Module["maxHeapBytes"]||Infinity);if(requestedSize>maxHeapSize){if(Module["onHeapExhausted"])Module["onHeapExhausted"](requestedSize);return false}',
  },
  {
    why: 'signal a failed heap growth below the ceiling too',
    from: 'var replacement=emscripten_realloc_buffer(newSize);if(replacement){return true}}return false}',
    to: 'var replacement=emscripten_realloc_buffer(newSize);if(replacement){return true}}if(Module["onHeapExhausted"])Module["onHeapExhausted"](requestedSize);return false}',
  },
  {
    why: 'a sign of life from inside the engine: big memory copies happen all through a slice, also in phases without progress calls',
    from: 'function _emscripten_memcpy_big(dest,src,num){HEAPU8.copyWithin(',
    to: 'function _emscripten_memcpy_big(dest,src,num){if(Module["onBusy"])Module["onBusy"]();HEAPU8.copyWithin(',
  },
  {
    why: 'a sign of life when the heap grows',
    from: 'function _emscripten_resize_heap(requestedSize){',
    to: 'function _emscripten_resize_heap(requestedSize){if(Module["onBusy"])Module["onBusy"]();',
  },
];

/** The glue as we ship it, from Emscripten's output. */
export function patchEngineGlue(glue, header) {
  let patched = glue;
  for (const patch of patches) {
    const count = patched.split(patch.from).length - 1;
    if (count !== 1) throw new Error(`engine glue: patch "${patch.why}" matched ${count} times (is this Emscripten 3.1.6?)`);
    patched = patched.replace(patch.from, () => patch.to);
  }
  assertGlueWithoutEval(patched, 'engine glue');
  return header + patched;
}
