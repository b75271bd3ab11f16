
namespace HlSharp.Engine;

/// <summary>What the writer of a compiled program and its loader agree on without sharing code that generates any.</summary>
internal static class CompiledNames
{
    /// <summary>The name of a function's written method (<c>h</c> marks the entry without its event loop).</summary>
    public static string FunctionMethod(int functionIndex, bool hostedEntry) => hostedEntry ? $"f{functionIndex}h" : $"f{functionIndex}";

    /// <summary>The function index a written function's method name gives, or -1 when it is not one.</summary>
    public static int FunctionIndexOf(string methodName) =>
        methodName.Length > 1 && methodName[0] == 'f' && int.TryParse(methodName.AsSpan(1, methodName.Length - (methodName[^1] == 'h' ? 2 : 1)), out var index) ? index : -1;

    /// <summary>
    /// The build of HlSharp a compiled program must be loaded by (the one that wrote it): its version
    /// and its module's id, which a deterministic build derives from its content, so two builds of
    /// one version that lay the VM out differently never take each other's programs.
    /// </summary>
    public static string WriterVersion { get; } = $"{typeof(HlModule).Assembly.GetName().Version} {BuildId}";

    /// <summary>This build's module id as 32 hex digits (what <see cref="WriterVersion"/> and the tool's run cache tell builds apart by).</summary>
    public static string BuildId
    {
        get
        {
            Span<byte> id = stackalloc byte[16];
            typeof(HlModule).Module.ModuleVersionId.TryWriteBytes(id);
            return HexDigits.Of(id);
        }
    }
}
