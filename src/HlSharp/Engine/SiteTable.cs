using System.Diagnostics.CodeAnalysis;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The inline caches of compiled code's virtual field and method sites (<see cref="IVirtualSite"/>),
/// each in a cell at a constant address, as <see cref="ModuleStorage"/> keeps its other hot data:
/// a site is one load away, without a static of a (collectible) emitted type. Cells come in pinned
/// chunks that never move or grow (code holds their addresses); a full chunk gets a successor.
/// Sites are added while compiling, under the module's compile lock.
/// </summary>
internal sealed class SiteTable
{
    private const int ChunkSize = 256;

    private readonly List<object?[]> _chunks = [];
    private readonly List<IVirtualSite> _sites = [];
    private readonly Lock _gate = new();

    /// <summary>How many sites there are (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sites.Count;
            }
        }
    }

    /// <summary>Stores a new site and emits code that pushes it.</summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    public void EmitLoad(ILGenerator il, IVirtualSite site)
    {
        nint address;
        lock (_gate)
        {
            var index = _sites.Count % ChunkSize;
            if (index == 0)
            {
                _chunks.Add(GC.AllocateArray<object?>(ChunkSize, pinned: true));
            }

            var chunk = _chunks[^1];
            chunk[index] = site;
            _sites.Add(site);
            address = Marshal.UnsafeAddrOfPinnedArrayElement(chunk, index);
        }

        il.Emit(OpCodes.Ldc_I8, (long)address);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Ldind_Ref);
    }

    /// <summary>
    /// Forgets what every site learnt. A hot reload calls it once it has published new fields and
    /// method tables, while no other Haxe thread runs (a site's slow path runs no Haxe code, so no
    /// thread is parked between looking a shape up and caching it): the next access looks again.
    /// </summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            foreach (var site in _sites)
            {
                site.Invalidate();
            }
        }
    }
}
