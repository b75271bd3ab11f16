namespace HlSharp.Natives;

/// <summary>Marks a static method as the implementation of a HashLink native <c>library@name</c>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class HlNativeAttribute(string library, string name) : Attribute
{
    public string Library { get; } = library;

    public string Name { get; } = name;
}
