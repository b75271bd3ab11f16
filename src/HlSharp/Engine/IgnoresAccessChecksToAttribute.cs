namespace System.Runtime.CompilerServices;

/// <summary>
/// Lets the code HlSharp emits use HlSharp's internal runtime types. The CLR honours this
/// attribute on dynamic assemblies; it is declared here because the BCL does not ship it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals may be used.</summary>
    public string AssemblyName { get; } = assemblyName;
}
