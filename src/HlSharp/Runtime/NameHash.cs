namespace HlSharp.Runtime;

/// <summary>
/// HashLink's field-name hash (<c>hl_hash_gen</c> in HashLink's <c>std/obj.c</c>): dynamic field
/// access, <c>Reflect</c> and <c>hl.Api</c> all name fields by it, so compiled code and natives must
/// agree on it. Each VM keeps its own table so a name always gets one hash and a hash one name;
/// like HashLink, a collision between two names moves the later one to the next free value.
/// </summary>
internal sealed class NameHash
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _byHash = [];
    private readonly Dictionary<int, HlBytes> _bytesByHash = [];
    private readonly Lock _lock = new();

    // Looks a name up by its characters: Reflect.setField hashes every name it is given, and most
    // are known, so no string is made for them. Made on first use (under the lock): it is generic
    // code with no ReadyToRun form, which a program that never hashes a name would JIT at start.
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _byChars;

    /// <summary>The raw hash of a name, before collisions are resolved.</summary>
    public static int Compute(ReadOnlySpan<char> name)
    {
        var h = 0;
        foreach (var c in name)
        {
            h = unchecked((223 * h) + c);
        }

        return h % 0x1FFFFF7B;
    }

    /// <summary>Returns the hash of a name, registering it.</summary>
    public int Hash(string name)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var known))
            {
                return known;
            }

            var h = Compute(name);
            while (_byHash.TryGetValue(h, out var other) && other != name)
            {
                h++;
            }

            _byName[name] = h;
            _byHash[h] = name;
            return h;
        }
    }

    /// <summary>Returns the hash of a name given as characters, registering it (a string is made only for a new name).</summary>
    public int Hash(ReadOnlySpan<char> name)
    {
        lock (_lock)
        {
            _byChars ??= _byName.GetAlternateLookup<ReadOnlySpan<char>>();
            if (_byChars.Value.TryGetValue(name, out var known))
            {
                return known;
            }
        }

        return Hash(name.ToString());
    }

    /// <summary>Every name hashed so far with its hash (what code compiled ahead of time holds as constants).</summary>
    public (string Name, int Hash)[] Entries()
    {
        lock (_lock)
        {
            return [.. _byName.Select(e => (e.Key, e.Value))];
        }
    }

    /// <summary>
    /// Takes the hashes a program compiled ahead of time was compiled with, before anything else is
    /// hashed: a collision moves a hash on, so the hash of a name depends on what came before it,
    /// and the compiled code's constants must keep meaning the names they meant.
    /// </summary>
    public void Seed(IEnumerable<(string Name, int Hash)> entries)
    {
        lock (_lock)
        {
            foreach (var (name, hash) in entries)
            {
                _byName[name] = hash;
                _byHash[hash] = name;
            }
        }
    }

    /// <summary>
    /// The name registered for a hash as UCS-2 bytes, made once per name and shared, as HashLink
    /// shares its names (<c>Reflect.fields</c> wraps them in strings without copying); null for
    /// an unknown hash.
    /// </summary>
    public HlBytes? NameBytesOf(int hash)
    {
        lock (_lock)
        {
            if (_bytesByHash.TryGetValue(hash, out var bytes))
            {
                return bytes;
            }

            if (!_byHash.TryGetValue(hash, out var name))
            {
                return null;
            }

            bytes = HlBytes.FromString(name);
            _bytesByHash[hash] = bytes;
            return bytes;
        }
    }

    /// <summary>Returns the name registered for a hash, or null.</summary>
    public string? NameOf(int hash)
    {
        lock (_lock)
        {
            return _byHash.GetValueOrDefault(hash);
        }
    }
}
