using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// What the loader of a compiled program needs besides its bytecode and code: which HlSharp wrote
/// it, the recipe of every site, the wrapper slots by signature, and which implementation each native's direct
/// adapter was written for (the loader uses it only when the running VM binds the same one).
/// Written as a manifest resource of the compiled assembly; where each function's operations start
/// in its IL is another one (<see cref="ProgramOffsets"/>), read only when a stack trace needs it.
/// </summary>
internal sealed class ProgramManifest
{
    private const int FormatVersion = 3;

    /// <summary>The HlSharp assembly version that wrote the program: another one may lay the VM out differently.</summary>
    public required string WriterVersion { get; init; }

    public required SiteRecipe[] Sites { get; init; }

    /// <summary>The wrapper slots, by the signature key <c>HlModule.WrapperSlot</c> uses.</summary>
    public required (string Key, int Slot)[] Wrappers { get; init; }

    /// <summary>How many slots are in use: the functions, then the wrappers.</summary>
    public required int SlotCount { get; init; }

    /// <summary>
    /// The natives the program has a direct adapter for (what HlSharp's registry gave when it was
    /// compiled), by function index, each with the index of the context static it loads (-1 for none).
    /// </summary>
    public required (int FunctionIndex, int Context)[] DirectNatives { get; init; }

    /// <summary>How many context statics the direct adapters have.</summary>
    public required int ContextCount { get; init; }

    /// <summary>Every name the compiler hashed, with its hash, in order (<see cref="Runtime.NameHash.Seed"/>).</summary>
    public required (string Name, int Hash)[] Names { get; init; }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(FormatVersion);
            w.Write(WriterVersion);
            w.Write(Sites.Length);
            foreach (var site in Sites)
            {
                w.Write((byte)site.Kind);
                w.Write((byte)Array.IndexOf(SiteRecipe.StorageTypes, site.Storage));
                w.Write(site.Hash);
                w.Write(site.TypeIndex);
            }

            w.Write(Wrappers.Length);
            foreach (var (key, slot) in Wrappers)
            {
                w.Write(key);
                w.Write(slot);
            }

            w.Write(SlotCount);
            w.Write(DirectNatives.Length);
            foreach (var (index, context) in DirectNatives)
            {
                w.Write(index);
                w.Write(context);
            }

            w.Write(ContextCount);
            w.Write(Names.Length);
            foreach (var (name, hash) in Names)
            {
                w.Write(name);
                w.Write(hash);
            }
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a manifest this HlSharp reads.</exception>
    public static ProgramManifest Read(Stream stream)
    {
        try
        {
            using var r = new BinaryReader(stream);
            if (r.ReadInt32() is var format && format != FormatVersion)
            {
                throw new InvalidDataException($"manifest format {format}, this HlSharp reads {FormatVersion}");
            }

            var version = r.ReadString();
            var sites = new SiteRecipe[r.ReadInt32()];
            for (var i = 0; i < sites.Length; i++)
            {
                var kind = (SiteKind)r.ReadByte();
                var storage = SiteRecipe.StorageTypes[r.ReadByte()];
                sites[i] = new SiteRecipe(kind, storage, r.ReadInt32(), r.ReadInt32());
            }

            var wrappers = new (string, int)[r.ReadInt32()];
            for (var i = 0; i < wrappers.Length; i++)
            {
                wrappers[i] = (r.ReadString(), r.ReadInt32());
            }

            var slotCount = r.ReadInt32();
            var natives = new (int, int)[r.ReadInt32()];
            for (var i = 0; i < natives.Length; i++)
            {
                natives[i] = (r.ReadInt32(), r.ReadInt32());
            }

            var contextCount = r.ReadInt32();
            var names = new (string, int)[r.ReadInt32()];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = (r.ReadString(), r.ReadInt32());
            }

            return new ProgramManifest
            {
                WriterVersion = version,
                Sites = sites,
                Wrappers = wrappers,
                SlotCount = slotCount,
                DirectNatives = natives,
                ContextCount = contextCount,
                Names = names,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or IOException)
        {
            throw new InvalidDataException("the compiled program's manifest is damaged", e);
        }
    }
}
