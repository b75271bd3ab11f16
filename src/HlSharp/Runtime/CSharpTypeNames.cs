namespace HlSharp.Runtime;

/// <summary>How C# writes a .NET type (<c>int</c>, <c>Func&lt;int, string&gt;</c>), for messages every layer gives.</summary>
internal static class CSharpTypeNames
{
    public static string Of(Type type) => type switch
    {
        _ when type == typeof(int) => "int",
        _ when type == typeof(double) => "double",
        _ when type == typeof(float) => "float",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(long) => "long",
        _ when type == typeof(string) => "string",
        _ when type == typeof(object) => "object",
        _ when type == typeof(void) => "void",
        _ when Nullable.GetUnderlyingType(type) is { } under => Of(under) + "?",
        _ when type.IsGenericType => $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Of))}>",
        _ => type.Name,
    };
}
