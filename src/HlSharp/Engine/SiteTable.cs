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

    /// <summary>Stores a new site; returns the address of its cell, where compiled code finds it.</summary>
    public nint Add(IVirtualSite site)
    {
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
            return Marshal.UnsafeAddrOfPinnedArrayElement(chunk, index);
        }
    }

    /// <summary>Adds sites an ahead-of-time program's code names by position (it loads them from its own array, not from a cell here).</summary>
    public void AddAll(IEnumerable<IVirtualSite> sites)
    {
        lock (_gate)
        {
            _sites.AddRange(sites);
        }
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
