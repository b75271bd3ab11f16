using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HlSharp.Tests.Architecture;

/// <summary>
/// Keeps HlSharp's layers one-way (Bytecode &lt;- Runtime &lt;- Engine &lt;- Natives &lt;- façade) and
/// code generation inside Engine. It reads the built assembly's metadata and IL, so it sees every
/// use: base types, interfaces, fields, signatures, attributes, locals and each token a method body
/// names (calls, field accesses, casts, <c>typeof</c>), lambdas and iterators included (they are
/// nested types of the type that wrote them).
/// </summary>
public sealed class LayerTests
{
    /// <summary>The layers, lowest first: a layer may use its own types and those of layers to its left.</summary>
    private static readonly string[] Layers = ["HlSharp.Bytecode", "HlSharp.Runtime", "HlSharp.Engine", "HlSharp.Threading", "HlSharp.Timers", "HlSharp.Natives", "HlSharp"];

    /// <summary>
    /// The public exceptions sit in the root namespace (their names are public API) but every layer
    /// throws them (bytecode errors, missing natives), so they form a level below Bytecode: they may
    /// be used by all and may use nothing of HlSharp but each other.
    /// </summary>
    private const int ExceptionLevel = -1;

    /// <summary>
    /// Plain results an exception carries (<see cref="HlReloadException.Result"/>) share its level:
    /// they too may use nothing of HlSharp but the exceptions and each other.
    /// </summary>
    private static readonly string[] CarriedByExceptions = ["HlSharp.HlReloadResult", "HlSharp.HlReloadRefusal"];

    [Fact]
    public void Each_layer_uses_only_the_layers_below_it()
    {
        var violations = Scan().Layering;
        Assert.True(violations.Count == 0, "layer violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Only_the_engine_generates_code()
    {
        var violations = Scan().Emit;
        Assert.True(violations.Count == 0, "System.Reflection.Emit used outside HlSharp.Engine:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_type_of_HlSharp_is_in_a_layer()
    {
        // A new namespace would escape the layering rules unless it is given a place in them.
        var unplaced = typeof(HlVm).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("HlSharp", StringComparison.Ordinal) == true && !Layers.Contains(t.Namespace))
            .Select(t => t.FullName).ToList();
        Assert.Empty(unplaced);
    }

    [Fact]
    public void The_scanner_sees_uses_that_only_method_bodies_make()
    {
        // The rules above pass only if the scanner misses nothing: a probe whose signatures name
        // no HlSharp or Emit type, but whose body (and a lambda in it) uses both, must show both.
        using var stream = File.OpenRead(typeof(LayerTests).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var probe = reader.TypeDefinitions.Single(h => reader.GetString(reader.GetTypeDefinition(h).Name) == nameof(BodyOnlyProbe));
        var nested = reader.GetTypeDefinition(probe).GetNestedTypes();
        var scanner = new DependencyScanner(reader, pe);
        var references = new[] { probe }.Concat(nested).SelectMany(h => scanner.Uses(h).References).ToHashSet();
        Assert.Contains("HlSharp.Engine.ThreadAdmission", references);
        Assert.Contains("System.Reflection.Emit.OpCodes", references);
    }

    /// <summary>Uses an Engine type and Emit in its body only (see the test above).</summary>
    private static class BodyOnlyProbe
    {
        public static int Use()
        {
            Func<object> lambda = () => new HlSharp.Engine.ThreadAdmission();
            return lambda().GetHashCode() + OpCodes.Nop.Size;
        }
    }

    private static (List<string> Layering, List<string> Emit) Scan()
    {
        using var stream = File.OpenRead(typeof(HlVm).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var scanner = new DependencyScanner(reader, pe);
        var exceptionNames = typeof(HlVm).Assembly.GetTypes().Where(t => typeof(HlException).IsAssignableFrom(t)).Select(t => t.FullName!).Concat(CarriedByExceptions).ToHashSet();
        var layering = new SortedSet<string>(StringComparer.Ordinal);
        var emit = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var (name, level) = Place(reader, handle, exceptionNames);
            if (level is null)
            {
                continue;
            }

            var uses = scanner.Uses(handle);
            foreach (var used in uses.Definitions)
            {
                var (usedName, usedLevel) = Place(reader, used, exceptionNames);
                if (usedLevel > level)
                {
                    layering.Add($"{name} ({LevelName(level.Value)}) uses {usedName} ({LevelName(usedLevel.Value)})");
                }
            }

            if (level != Array.IndexOf(Layers, "HlSharp.Engine"))
            {
                foreach (var reference in uses.References.Where(r => r.StartsWith("System.Reflection.Emit.", StringComparison.Ordinal)))
                {
                    emit.Add($"{name} uses {reference}");
                }
            }
        }

        return ([.. layering], [.. emit]);
    }

    private static string LevelName(int level) => level == ExceptionLevel ? "exceptions" : Layers[level];

    /// <summary>A type's full name and level, or a null level for types outside HlSharp's namespaces (compiler support types).</summary>
    private static (string Name, int? Level) Place(MetadataReader reader, TypeDefinitionHandle handle, HashSet<string> exceptionNames)
    {
        var outer = handle;
        var name = reader.GetString(reader.GetTypeDefinition(handle).Name);
        while (reader.GetTypeDefinition(outer).GetDeclaringType() is { IsNil: false } declaring)
        {
            outer = declaring;
            name = reader.GetString(reader.GetTypeDefinition(outer).Name) + "+" + name;
        }

        var ns = reader.GetString(reader.GetTypeDefinition(outer).Namespace);
        var full = ns.Length == 0 ? name : ns + "." + name;
        if (exceptionNames.Contains(ns + "." + reader.GetString(reader.GetTypeDefinition(outer).Name)))
        {
            return (full, ExceptionLevel);
        }

        var index = Array.IndexOf(Layers, ns);
        return (full, index < 0 ? null : index);
    }

    /// <summary>What one type uses: types of this assembly, and full names of types of others.</summary>
    private sealed record TypeUses(HashSet<TypeDefinitionHandle> Definitions, HashSet<string> References);

    /// <summary>Collects every type a type definition names, in metadata and in IL.</summary>
    private sealed class DependencyScanner(MetadataReader reader, PEReader pe) : ISignatureTypeProvider<bool, object?>
    {
        private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value, o => o.OperandType);

        private TypeUses _sink = new([], []);

        public TypeUses Uses(TypeDefinitionHandle handle)
        {
            _sink = new([], []);
            var type = reader.GetTypeDefinition(handle);
            AddEntity(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations())
            {
                AddEntity(reader.GetInterfaceImplementation(i).Interface);
            }

            AddAttributes(type.GetCustomAttributes());
            foreach (var f in type.GetFields())
            {
                var field = reader.GetFieldDefinition(f);
                field.DecodeSignature(this, null);
                AddAttributes(field.GetCustomAttributes());
            }

            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                method.DecodeSignature(this, null);
                AddAttributes(method.GetCustomAttributes());
                if (method.RelativeVirtualAddress != 0)
                {
                    ScanBody(pe.GetMethodBody(method.RelativeVirtualAddress));
                }
            }

            foreach (var p in type.GetProperties())
            {
                AddAttributes(reader.GetPropertyDefinition(p).GetCustomAttributes());
            }

            return _sink;
        }

        private void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                AddEntity(reader.GetCustomAttribute(a).Constructor);
            }
        }

        private void ScanBody(MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
            {
                reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            }

            foreach (var region in body.ExceptionRegions)
            {
                AddEntity(region.CatchType);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                switch (OperandTypes[value])
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineSig:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                        AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        il.ReadInt16();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        var count = il.ReadInt32();
                        il.Offset += 4 * count;
                        break;
                    default:
                        il.ReadInt32();
                        break;
                }
            }
        }

        private void AddEntity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    _sink.Definitions.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeReference:
                    _sink.References.Add(ReferenceName((TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    AddEntity(method.GetDeclaringType());
                    method.DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    AddEntity(field.GetDeclaringType());
                    field.DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddEntity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddEntity(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method)
                    {
                        signature.DecodeMethodSignature(this, null);
                    }

                    break;
            }
        }

        private string ReferenceName(TypeReferenceHandle handle)
        {
            var reference = reader.GetTypeReference(handle);
            var name = reader.GetString(reference.Name);
            return reference.ResolutionScope.Kind == HandleKind.TypeReference
                ? ReferenceName((TypeReferenceHandle)reference.ResolutionScope) + "+" + name
                : reader.GetString(reference.Namespace) + "." + name;
        }

        public bool GetArrayType(bool elementType, ArrayShape shape) => true;

        public bool GetByReferenceType(bool elementType) => true;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => true;

        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => true;

        public bool GetGenericMethodParameter(object? genericContext, int index) => true;

        public bool GetGenericTypeParameter(object? genericContext, int index) => true;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => true;

        public bool GetPinnedType(bool elementType) => true;

        public bool GetPointerType(bool elementType) => true;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => true;

        public bool GetSZArrayType(bool elementType) => true;

        public bool GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            _sink.Definitions.Add(handle);
            return true;
        }

        public bool GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
        {
            _sink.References.Add(ReferenceName(handle));
            return true;
        }

        public bool GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            AddEntity(handle);
            return true;
        }
    }
}
