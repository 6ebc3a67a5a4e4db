// Sliceport's stand-in for UltiMaker's "scripta" debug-visualisation logger, which is not public.
// CuraEngine uses it only to dump intermediate geometry for debugging; in our build every call compiles
// to nothing. Same names and call shapes as the engine's uses, no behaviour.
#ifndef SLICEPORT_SCRIPTA_LOGGER_H
#define SLICEPORT_SCRIPTA_LOGGER_H

#include <string_view>

namespace scripta
{

/** A per-cell value to log for a Voronoi diagram; ignored. */
struct CellVDI
{
    template<typename Projection>
    CellVDI(std::string_view, Projection&&)
    {
    }
};

/** A per-point value to log for a Voronoi diagram; ignored. */
struct PointVDI
{
    template<typename Projection>
    PointVDI(std::string_view, Projection&&)
    {
    }
};

template<typename... Arguments>
inline void log(Arguments&&...)
{
}

template<typename... Arguments>
inline void setAll(Arguments&&...)
{
}

} // namespace scripta

#endif // SLICEPORT_SCRIPTA_LOGGER_H
