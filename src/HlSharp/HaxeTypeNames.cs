using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>Haxe's names for HashLink types and C# names for delegate signatures, as the embedding API's messages write them.</summary>
internal static class HaxeTypeNames
{
    public static string Of(HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.I32 => "Int",
        HlTypeKind.UI8 => "hl.UI8",
        HlTypeKind.UI16 => "hl.UI16",
        HlTypeKind.F64 => "Float",
        HlTypeKind.F32 => "Single",
        HlTypeKind.Bool => "Bool",
        HlTypeKind.I64 => "hl.I64",
        HlTypeKind.Void => "Void",
        HlTypeKind.Dyn => "Dynamic",
        HlTypeKind.Bytes => "hl.Bytes",
        HlTypeKind.Null => $"Null<{Of(type.Inner!)}>",
        HlTypeKind.Fun => Signature(type),
        HlTypeKind.Virtual => "{" + string.Join(", ", type.Fields.Select(f => $"{f.Name}:{Of(f.Type)}")) + "}",
        HlTypeKind.DynObj => "Dynamic",
        _ => type.Name,
    };

    /// <summary>A function type as Haxe writes it: <c>(Int, Int) -&gt; Int</c>.</summary>
    public static string Signature(HlRuntimeType function) =>
        $"({string.Join(", ", function.Arguments.Select(Of))}) -> {Of(function.Return!)}";

    /// <summary>A delegate's signature as C# writes it: <c>(int, int) -&gt; int</c>.</summary>
    public static string Signature(Type delegateType)
    {
        var invoke = DelegateInvoke.Of(delegateType);
        return $"({string.Join(", ", invoke.GetParameters().Select(p => Of(p.ParameterType)))}) -> {Of(invoke.ReturnType)}";
    }

    /// <summary>A C# type as C# writes it.</summary>
    public static string Of(Type type) => Runtime.CSharpTypeNames.Of(type);

    /// <summary>The run-time type of a Haxe value, for messages.</summary>
    public static string OfValue(HlRuntime runtime, object? value) => value is null ? "null" : Of(runtime.TypeOfValue(value));

    /// <summary>The candidate closest to what was asked for (by edit distance), when one is close enough to be a likely typo.</summary>
    public static string? CloseMatch(string asked, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(asked.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, asked.Length / 3) ? best : null;
    }

    /// <summary>" (did you mean X?)" when there is a close match, else nothing.</summary>
    public static string DidYouMean(string asked, IEnumerable<string> candidates) =>
        CloseMatch(asked, candidates) is { } match ? $" (did you mean {match}?)" : string.Empty;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
