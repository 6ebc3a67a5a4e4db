// Our changes to the pinned upstream sources, applied to a freshly unpacked copy before compiling. Each is
// an exact text replacement that must match exactly once, so a changed upstream file fails the build
// loudly instead of being patched in the wrong place. The `why` of each is the reason it exists.
// (Part of the engine's corresponding source, with wasm/engine-from-source.mjs and wasm/scripta/.)

/** @type {{ source: string, file: string, why: string, from: string, to: string }[]} */
export const enginePatches = [
  {
    source: 'curaengine',
    file: 'src/utils/MeshUtils.cpp',
    why:
      "clang 14 cannot compile a function that both calls setjmp (libpng's error handling) and has C++ " +
      'objects to clean up when built with WebAssembly exceptions; the setjmp and the libpng calls that may ' +
      'longjmp move into a small function of their own without C++ objects',
    from: `bool loadTextureFromPngData(const std::vector<unsigned char>& texture_data, Mesh& mesh, const std::string& source_description, bool log_no_metadata)
{`,
    to: `// libpng reports errors by longjmp to this setjmp; no C++ object lives in this function.
static bool readPngInfoGuarded(png_structp png_ptr, png_infop info_ptr)
{
    if (setjmp(png_jmpbuf(png_ptr)) != 0)
    {
        return false;
    }
    png_read_info(png_ptr, info_ptr);
    return true;
}

bool loadTextureFromPngData(const std::vector<unsigned char>& texture_data, Mesh& mesh, const std::string& source_description, bool log_no_metadata)
{`,
  },
  {
    source: 'curaengine',
    file: 'src/utils/MeshUtils.cpp',
    why: 'the setjmp moved into readPngInfoGuarded (see above)',
    from: `    if (setjmp(png_jmpbuf(png_ptr.get())) != 0)
    {
        return false;
    }
`,
    to: '',
  },
  {
    source: 'curaengine',
    file: 'src/utils/MeshUtils.cpp',
    why: 'read the PNG header under the setjmp guard',
    from: `    png_read_info(png_ptr.get(), info_ptr.get());`,
    to: `    if (! readPngInfoGuarded(png_ptr.get(), info_ptr.get()))
    {
        return false;
    }`,
  },
  {
    source: 'curaengine',
    file: 'src/communication/CommandLine.cpp',
    why:
      'say what went wrong: a standard exception thrown while slicing is logged with its message before the ' +
      'engine exits, instead of only "Unknown exception." (the app shows the engine\'s last error line)',
    from: `    catch (...)
    {
        // Catch all exceptions.
        // This prevents the "something went wrong" dialogue on Windows to pop up on a thrown exception.
        // Only ClipperLib currently throws exceptions. And only in the case that it makes an internal error.
        spdlog::error("Unknown exception.");`,
    to: `    catch (const std::exception& exception)
    {
        spdlog::error("Slicing failed: {}", exception.what());
        exit(1);
    }
    catch (...)
    {
        // Catch all exceptions.
        // This prevents the "something went wrong" dialogue on Windows to pop up on a thrown exception.
        // Only ClipperLib currently throws exceptions. And only in the case that it makes an internal error.
        spdlog::error("Unknown exception.");`,
  },
  {
    source: 'curaengine',
    file: 'src/support.cpp',
    why:
      'AreaSupport::moveUpFromModel asks for the outlines of the layer below the bottom of the support as the ' +
      'size_t `bottom_layer_nr - 1`; at layer 0 (support bottom distance 0 with a stair step height above 0) that ' +
      'wraps around. On 64-bit builds the wrapped value converts back to layer -1 (no outlines), but size_t has 32 ' +
      'bits in WebAssembly, so it became layer 4294967295 and read past the layer list (the slice then failed ' +
      'with "vector"); the subtraction is now signed, as on 64-bit builds',
    from: `const Shape supporting_bottom = storage.getLayerOutlines(bottom_layer_nr - 1, no_support, no_prime_tower);`,
    to: `const Shape supporting_bottom = storage.getLayerOutlines(static_cast<int64_t>(bottom_layer_nr) - 1, no_support, no_prime_tower);`,
  },
  {
    source: 'spdlog',
    file: 'include/spdlog/stopwatch.h',
    why: 'CuraEngine 5.13 calls stopwatch::elapsed_ms(), added in spdlog 1.14; we build with spdlog 1.13 (the last release for fmt 10)',
    from: `    std::chrono::duration<double> elapsed() const {
        return std::chrono::duration<double>(clock::now() - start_tp_);
    }`,
    to: `    std::chrono::duration<double> elapsed() const {
        return std::chrono::duration<double>(clock::now() - start_tp_);
    }

    std::chrono::milliseconds elapsed_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start_tp_);
    }`,
  },
];

/**
 * Applies the patches of `source` to its unpacked tree.
 * @param {string} source  pinned source name
 * @param {string} directory  its unpacked folder
 * @param {{ readFileSync: Function, writeFileSync: Function }} fs
 */
export function applyEnginePatches(source, directory, fs) {
  for (const patch of enginePatches.filter((p) => p.source === source)) {
    const path = `${directory}/${patch.file}`;
    const text = fs.readFileSync(path, 'utf8');
    const count = text.split(patch.from).length - 1;
    if (count !== 1) throw new Error(`patch "${patch.why}" matched ${count} times in ${source}/${patch.file}`);
    fs.writeFileSync(path, text.replace(patch.from, () => patch.to));
  }
}
