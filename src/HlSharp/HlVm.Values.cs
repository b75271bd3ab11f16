using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>Haxe values from the host: classes and their statics, new instances, enum values.</summary>
public sealed partial class HlVm
{
    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>The static variables and functions of a Haxe class, by its full name (<c>Game</c>, <c>my.pkg.Game</c>).</summary>
    /// <exception cref="ArgumentException">The program has no such class (the message names a close match).</exception>
    /// <exception cref="InvalidOperationException"><see cref="RunEntry"/> has not run the static initialisation yet.</exception>
    public HlClass GetClass(string className) =>
        TryGetClass(className, out var found) ? found : throw new ArgumentException(
            $"the program has no class {className}{HaxeTypeNames.DidYouMean(className, ClassNames())}", nameof(className));

    /// <summary>Like <see cref="GetClass"/>, but returns false when the program has no such class.</summary>
    /// <exception cref="InvalidOperationException"><see cref="RunEntry"/> has not run the static initialisation yet.</exception>
    public bool TryGetClass(string className, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HlClass? found)
    {
        ArgumentNullException.ThrowIfNull(className);
        ObjectDisposedException.ThrowIf(_disposed, this);
        found = null;
        if (FindClassType(className) is not { GlobalIndex: >= 0 } type)
        {
            return false;
        }

        if (!Gate.Ready || _module.GetGlobal(type.GlobalIndex) is not HlInstance statics)
        {
            throw NotInitialised();
        }

        found = new HlClass(Values, className, statics);
        return true;
    }

    /// <summary>Makes an instance of a Haxe class, running its constructor with <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">No such class, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The constructor threw.</exception>
    public HlObject New(string className, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(className);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var type = FindClassType(className) ?? throw new ArgumentException(
            $"the program has no class {className}{HaxeTypeNames.DidYouMean(className, ClassNames())}", nameof(className));
        if (!Gate.Ready)
        {
            throw NotInitialised();
        }

        var instance = new HlObject(Values, _module.Runtime.AllocateObject(type));
        if (Functions.TryGetValue((className, "__constructor__", true), out var constructor))
        {
            CallFunction(constructor, null, [instance, .. args ?? [null]], typeof(void));
        }
        else if (args is { Length: > 0 })
        {
            throw new ArgumentException($"{className} has no constructor taking arguments", nameof(args));
        }

        return instance;
    }

    /// <summary>Makes a value of a Haxe enum with the named constructor and its parameters.</summary>
    /// <exception cref="ArgumentException">No such enum or constructor, a wrong parameter count, or a parameter of the wrong type.</exception>
    public HlEnum NewEnum(string enumName, string constructorName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(constructorName);
        var type = FindEnumType(enumName);
        var names = type.Constructs.Select(c => c.Name).ToList();
        var index = names.IndexOf(constructorName);
        return index >= 0 ? NewEnum(enumName, index, args) : throw new ArgumentException(
            $"{enumName} has no constructor {constructorName}{HaxeTypeNames.DidYouMean(constructorName, names)}", nameof(constructorName));
    }

    /// <summary>Makes a value of a Haxe enum with the constructor at <paramref name="constructorIndex"/> and its parameters.</summary>
    /// <exception cref="ArgumentException">No such enum, a wrong parameter count, or a parameter of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The enum has no constructor at that index.</exception>
    public HlEnum NewEnum(string enumName, int constructorIndex, params object?[] args)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        args ??= [null];
        var type = FindEnumType(enumName);
        ArgumentOutOfRangeException.ThrowIfNegative(constructorIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(constructorIndex, type.Constructs.Length);
        var parameters = type.ConstructArgs[constructorIndex];
        if (args.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"{enumName}.{type.Constructs[constructorIndex].Name} takes {parameters.Length} parameters, got {args.Length}", nameof(args));
        }

        var values = args.Select((a, i) => StorageTypes.Box(parameters[i].Kind, Values.ToHaxe(a, parameters[i]))).ToArray();
        return new HlEnum(Values, new HlEnumValue(type, constructorIndex, values));
    }

    /// <summary>
    /// Makes an empty Haxe map: <c>haxe.ds.StringMap</c> for <see cref="string"/> keys, <c>IntMap</c> for
    /// <see cref="int"/> keys, <c>ObjectMap</c> for <see cref="HlObject"/> keys.
    /// </summary>
    /// <exception cref="ArgumentException">Haxe has no map for the key type, or the program does not use that map class (its code was left out).</exception>
    public HlMap<TKey, TValue> NewMap<TKey, TValue>()
        where TKey : notnull
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var className = HlMaps.ClassFor(typeof(TKey)) ?? throw new ArgumentException(
            $"Haxe maps have String, Int or object keys, not {HaxeTypeNames.Of(typeof(TKey))}", nameof(TKey));
        var type = FindClassType(className) ?? throw new ArgumentException($"the program does not use {className}, so it has no code for one", nameof(TKey));
        var map = _module.Runtime.AllocateObject(type);
        var field = type.Fields[type.FindField(_module.Hashes.Hash("h"))];
        field.Setter(map, HlMaps.NewEntries(className));
        return (HlMap<TKey, TValue>)HlMaps.Create(Values, typeof(TKey), typeof(TValue), map, HlMaps.EntriesOf(Values, map)!);
    }

    /// <summary>Makes a <c>haxe.io.Bytes</c> over <paramref name="data"/> (the array itself: changes show on both sides).</summary>
    /// <exception cref="ArgumentException">The program does not use <c>haxe.io.Bytes</c>.</exception>
    public HlBytesView NewBytes(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HlBytesView.Create(Values, data);
    }

    /// <summary>Makes a <c>haxe.io.Bytes</c> holding the UTF-8 encoding of <paramref name="text"/>, as <c>Bytes.ofString</c> does.</summary>
    /// <exception cref="ArgumentException">The program does not use <c>haxe.io.Bytes</c>.</exception>
    public HlBytesView NewBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NewBytes(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private HlRuntimeType? FindClassType(string className) =>
        _module.Types.FirstOrDefault(t => t.Kind == HlTypeKind.Obj && t.Name == className);

    private HlRuntimeType FindEnumType(string enumName)
    {
        ArgumentNullException.ThrowIfNull(enumName);
        var enums = _module.Types.Where(t => t.Kind == HlTypeKind.Enum).ToList();
        return enums.FirstOrDefault(t => t.Name == enumName) ?? throw new ArgumentException(
            $"the program has no enum {enumName}{HaxeTypeNames.DidYouMean(enumName, enums.Select(e => e.Name))}", nameof(enumName));
    }

    private IEnumerable<string> ClassNames() =>
        _module.Types.Where(t => t.Kind == HlTypeKind.Obj && !t.Name.Contains('$', StringComparison.Ordinal)).Select(t => t.Name);
}
