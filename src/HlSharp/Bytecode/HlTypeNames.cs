using System.Text;

namespace HlSharp.Bytecode;

/// <summary>Writes types as readable text. Virtual and function types can be recursive, so nesting is cut off.</summary>
internal static class HlTypeNames
{
    private const int MaxDepth = 3;

    public static string Describe(HlType type)
    {
        var builder = new StringBuilder();
        Append(builder, type, 0);
        return builder.ToString();
    }

    private static void Append(StringBuilder b, HlType type, int depth)
    {
        if (depth > MaxDepth)
        {
            b.Append("...");
            return;
        }

        switch (type)
        {
            case HlObjectType obj:
                b.Append(obj.Name);
                break;
            case HlEnumType e:
                b.Append(e.Name.Length == 0 ? "enum" : e.Name);
                break;
            case HlAbstractType a:
                b.Append("abstract<").Append(a.Name).Append('>');
                break;
            case HlWrapperType w:
                b.Append(w.Kind switch { HlTypeKind.Ref => "ref", HlTypeKind.Null => "null", _ => "packed" }).Append('<');
                Append(b, w.Inner, depth + 1);
                b.Append('>');
                break;
            case HlFunctionType f:
                if (f.Kind == HlTypeKind.Method)
                {
                    b.Append("method ");
                }

                b.Append('(');
                for (var i = 0; i < f.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        b.Append(", ");
                    }

                    Append(b, f.Arguments[i], depth + 1);
                }

                b.Append(") -> ");
                Append(b, f.ReturnType, depth + 1);
                break;
            case HlVirtualType v:
                b.Append("virtual<");
                for (var i = 0; i < v.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        b.Append(", ");
                    }

                    b.Append(v.Fields[i].Name).Append(':');
                    Append(b, v.Fields[i].Type, depth + 1);
                }

                b.Append('>');
                break;
            default:
                b.Append(PrimitiveName(type.Kind));
                break;
        }
    }

    public static string PrimitiveName(HlTypeKind kind) => kind switch
    {
        HlTypeKind.Void => "void",
        HlTypeKind.UI8 => "ui8",
        HlTypeKind.UI16 => "ui16",
        HlTypeKind.I32 => "i32",
        HlTypeKind.I64 => "i64",
        HlTypeKind.F32 => "f32",
        HlTypeKind.F64 => "f64",
        HlTypeKind.Bool => "bool",
        HlTypeKind.Bytes => "bytes",
        HlTypeKind.Dyn => "dyn",
        HlTypeKind.Array => "array",
        HlTypeKind.Type => "type",
        HlTypeKind.DynObj => "dynobj",
        HlTypeKind.Guid => "guid",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
