using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace HlSharp.Bytecode;

/// <summary>
/// Reads HashLink bytecode (versions 2 to 5) into an <see cref="HlCode"/>, following the layout of
/// HashLink's <c>code.c</c>. Everything is checked as it is read: counts against the bytes that
/// remain, indices against their tables, operands against the function's registers, so nothing
/// but <see cref="HlFormatException"/> escapes and later layers may trust the model.
/// </summary>
internal static class HlCodeReader
{
    private const int MinVersion = 2;
    private const int MaxVersion = 5;

    public static HlCode Read(ReadOnlySpan<byte> data)
    {
        var r = new ByteReader(data);
        // Only the three header bytes decide whether this is bytecode at all; a file that stops
        // right after them is bytecode cut short, which the version read below reports as such.
        if (data.Length < 3 || data[0] != 'H' || data[1] != 'L' || data[2] != 'B')
        {
            throw ByteReader.Error(0, "not HashLink bytecode: expected the header 'HLB'");
        }

        r.Take(3, "header");
        var versionOffset = r.Position;
        int version = r.ReadByte("version");
        if (version is < MinVersion or > MaxVersion)
        {
            throw ByteReader.Error(versionOffset, $"unsupported bytecode version {version} (HlSharp reads {MinVersion} to {MaxVersion})");
        }

        var flags = r.ReadUIndex("flags");
        var nints = r.ReadCount("int count", 4);
        var nfloats = r.ReadCount("float count", 8);
        var nstrings = r.ReadCount("string count");
        var nbytes = version >= 5 ? r.ReadCount("bytes count") : 0;
        var ntypes = r.ReadCount("type count");
        var nglobals = r.ReadCount("global count");
        var nnatives = r.ReadCount("native count");
        var nfunctions = r.ReadCount("function count");
        var nconstants = version >= 4 ? r.ReadCount("constant count") : 0;
        var entryOffset = r.Position;
        var entryPoint = r.ReadUIndex("entry point");
        var hasDebug = (flags & 1) != 0;

        var parts = new HlCodeParts { Version = version, HasDebugInfo = hasDebug };

        var ints = new int[nints];
        for (var i = 0; i < nints; i++)
        {
            ints[i] = r.ReadInt32("int constant");
        }

        parts.Ints = ImmutableCollectionsMarshal.AsImmutableArray(ints);

        var floats = new double[nfloats];
        for (var i = 0; i < nfloats; i++)
        {
            floats[i] = r.ReadDouble("float constant");
        }

        parts.Floats = ImmutableCollectionsMarshal.AsImmutableArray(floats);
        var strings = ReadStrings(ref r, nstrings, "string");
        parts.Strings = strings;

        if (version >= 5)
        {
            var size = r.ReadInt32("bytes block size");
            parts.BytesData = r.Take(size, "bytes block").ToArray();
            var positions = new int[nbytes];
            for (var i = 0; i < nbytes; i++)
            {
                var at = r.Position;
                positions[i] = r.ReadUIndex("bytes position");
                if (positions[i] > size)
                {
                    throw ByteReader.Error(at, $"bytes position {positions[i]} is past the bytes block ({size} bytes)");
                }
            }

            parts.BytesPositions = ImmutableCollectionsMarshal.AsImmutableArray(positions);
        }

        if (hasDebug)
        {
            var nfiles = r.ReadCount("debug file count");
            parts.DebugFiles = ReadStrings(ref r, nfiles, "debug file name");
        }

        var types = ReadTypes(ref r, ntypes, strings, nglobals);
        parts.Types = types;

        var globals = new HlType[nglobals];
        for (var i = 0; i < nglobals; i++)
        {
            globals[i] = types[r.ReadIndexBelow(ntypes, "global type")];
        }

        parts.Globals = ImmutableCollectionsMarshal.AsImmutableArray(globals);

        var functionIndexCount = nfunctions + nnatives;
        var byIndex = new object?[functionIndexCount];
        var natives = new HlNative[nnatives];
        for (var i = 0; i < nnatives; i++)
        {
            var lib = strings[r.ReadIndexBelow(nstrings, "native library name")];
            var name = strings[r.ReadIndexBelow(nstrings, "native name")];
            var type = ReadFunctionType(ref r, types, "native type");
            var at = r.Position;
            var findex = r.ReadIndexBelow(functionIndexCount, "native function index");
            natives[i] = new HlNative(lib, name, type, findex);
            Claim(byIndex, findex, natives[i], at);
        }

        parts.Natives = ImmutableCollectionsMarshal.AsImmutableArray(natives);

        var context = new FunctionContext(version, ints.Length, floats.Length, nstrings, nbytes, nglobals, ntypes, functionIndexCount, parts.DebugFiles.Length);
        var functions = new HlFunction[nfunctions];
        for (var i = 0; i < nfunctions; i++)
        {
            var at = r.Position;
            functions[i] = ReadFunction(ref r, types, strings, hasDebug, context);
            Claim(byIndex, functions[i].Index, functions[i], at);
        }

        parts.Functions = ImmutableCollectionsMarshal.AsImmutableArray(functions);

        var constants = new HlConstant[nconstants];
        for (var i = 0; i < nconstants; i++)
        {
            var globalAt = r.Position;
            var global = r.ReadIndexBelow(nglobals, "constant global");
            if (globals[global] is not HlObjectType { Kind: HlTypeKind.Obj or HlTypeKind.Struct } holder)
            {
                throw ByteReader.Error(globalAt, $"constant for global {global} of type {globals[global]}: expected a class");
            }

            var nfields = r.ReadCount("constant field count");
            var fields = new int[nfields];
            for (var j = 0; j < nfields; j++)
            {
                // Each field is an index into the table its type says (as the loader reads it): check it here,
                // so damaged bytes are a format error, not an index out of range at load or reload.
                fields[j] = j >= holder.Fields.Count ? r.ReadUIndex("constant field") : holder.Fields[j].Type.Kind switch
                {
                    HlTypeKind.I32 => r.ReadIndexBelow(nints, "constant int field"),
                    HlTypeKind.F64 => r.ReadIndexBelow(nfloats, "constant float field"),
                    HlTypeKind.Bytes => r.ReadIndexBelow(nstrings, "constant string field"),
                    HlTypeKind.Type => r.ReadIndexBelow(ntypes, "constant type field"),
                    HlTypeKind.Bool => r.ReadUIndex("constant bool field"),
                    _ => r.ReadIndexBelow(nglobals, "constant global field"),
                };
            }

            constants[i] = new HlConstant(global, ImmutableCollectionsMarshal.AsImmutableArray(fields));
        }

        parts.Constants = ImmutableCollectionsMarshal.AsImmutableArray(constants);

        if (byIndex.Length == 0 || (uint)entryPoint >= (uint)byIndex.Length || byIndex[entryPoint] is not HlFunction)
        {
            throw ByteReader.Error(entryOffset, $"entry point {entryPoint} is not a function");
        }

        parts.EntryPoint = entryPoint;
        parts.FunctionsByIndex = byIndex;
        HlFunctionOwners.Assign(types, byIndex);
        return new HlCode(parts);
    }

    private static void Claim(object?[] byIndex, int findex, object item, int offset)
    {
        if (byIndex[findex] is not null)
        {
            throw ByteReader.Error(offset, $"function index {findex} is used twice");
        }

        byIndex[findex] = item;
    }

    private static ImmutableArray<string> ReadStrings(ref ByteReader r, int count, string what)
    {
        var size = r.ReadInt32($"{what} block size");
        var blockStart = r.Position;
        var block = r.Take(size, $"{what} block");
        var result = new string[count];
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            var at = r.Position;
            var length = r.ReadUIndex($"{what} length");
            if ((long)pos + length >= block.Length || block[pos + length] != 0)
            {
                throw ByteReader.Error(at, $"{what} {i} of length {length} does not fit its block (block offset 0x{blockStart + pos:x})");
            }

            result[i] = ByteReader.DecodeUtf8(block.Slice(pos, length));
            pos += length + 1;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    private static HlFunctionType ReadFunctionType(ref ByteReader r, ImmutableArray<HlType> types, string what)
    {
        var at = r.Position;
        var type = types[r.ReadIndexBelow(types.Length, what)];
        if (type is not HlFunctionType fun)
        {
            throw ByteReader.Error(at, $"{what} is {type.Kind}, expected a function type");
        }

        return fun;
    }

    private static ImmutableArray<HlType> ReadTypes(ref ByteReader r, int ntypes, ImmutableArray<string> strings, int nglobals)
    {
        var types = new HlType[ntypes];
        // Types refer to types later in the table, so references are collected while reading and
        // resolved once every type exists.
        var links = new List<Action<HlType[]>>();
        for (var i = 0; i < ntypes; i++)
        {
            types[i] = ReadType(ref r, i, ntypes, strings, nglobals, links);
        }

        foreach (var link in links)
        {
            link(types);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(types);
    }

    private static HlType ReadType(ref ByteReader r, int index, int ntypes, ImmutableArray<string> strings, int nglobals, List<Action<HlType[]>> links)
    {
        var kindOffset = r.Position;
        int kindByte = r.ReadByte("type kind");
        if (kindByte > (int)HlTypeKind.Guid)
        {
            throw ByteReader.Error(kindOffset, $"bad type kind {kindByte}");
        }

        var kind = (HlTypeKind)kindByte;
        switch (kind)
        {
            case HlTypeKind.Fun:
            case HlTypeKind.Method:
            {
                var fun = new HlFunctionType(kind, index);
                int nargs = r.ReadByte("argument count");
                var args = new int[nargs];
                for (var i = 0; i < nargs; i++)
                {
                    args[i] = r.ReadIndexBelow(ntypes, "argument type");
                }

                var ret = r.ReadIndexBelow(ntypes, "return type");
                links.Add(all =>
                {
                    fun.Arguments = Resolve(args, all);
                    fun.ReturnType = all[ret];
                });
                return fun;
            }

            case HlTypeKind.Obj:
            case HlTypeKind.Struct:
            {
                var name = strings[r.ReadIndexBelow(strings.Length, "class name")];
                var obj = new HlObjectType(kind, index, name);
                var superOffset = r.Position;
                var super = r.ReadIndex("super class");
                if (super >= ntypes || super < -1)
                {
                    throw ByteReader.Error(superOffset, $"bad super class {super}");
                }

                var global = ReadOptionalGlobal(ref r, nglobals);
                var nfields = r.ReadCount("field count", 2);
                var nprotos = r.ReadCount("method count", 3);
                var nbindings = r.ReadCount("binding count", 2);
                var fields = ReadFieldRefs(ref r, nfields, strings, ntypes);
                var protos = new HlProto[nprotos];
                for (var i = 0; i < nprotos; i++)
                {
                    var protoName = strings[r.ReadIndexBelow(strings.Length, "method name")];
                    var findex = r.ReadUIndex("method function");
                    var slot = r.ReadIndex("method slot");
                    protos[i] = new HlProto(protoName, findex, slot);
                }

                var bindings = new HlBinding[nbindings];
                for (var i = 0; i < nbindings; i++)
                {
                    bindings[i] = new HlBinding(r.ReadUIndex("binding field"), r.ReadUIndex("binding function"));
                }

                obj.GlobalIndex = global;
                obj.Protos = protos;
                obj.Bindings = bindings;
                links.Add(all =>
                {
                    obj.Fields = ResolveFields(fields, all);
                    if (super >= 0)
                    {
                        obj.Super = all[super] as HlObjectType
                            ?? throw new HlFormatException(superOffset, $"super class of {name} is {all[super].Kind}, expected an object type");
                    }
                });
                return obj;
            }

            case HlTypeKind.Virtual:
            {
                var virt = new HlVirtualType(index);
                var nfields = r.ReadCount("field count", 2);
                var fields = ReadFieldRefs(ref r, nfields, strings, ntypes);
                links.Add(all => virt.Fields = ResolveFields(fields, all));
                return virt;
            }

            case HlTypeKind.Abstract:
                return new HlAbstractType(index, strings[r.ReadIndexBelow(strings.Length, "abstract name")]);

            case HlTypeKind.Enum:
            {
                var e = new HlEnumType(index, strings[r.ReadIndexBelow(strings.Length, "enum name")]);
                e.GlobalIndex = ReadOptionalGlobal(ref r, nglobals);
                var nconstructs = r.ReadCount("constructor count", 2);
                var constructs = new (string Name, int[] Params)[nconstructs];
                for (var i = 0; i < nconstructs; i++)
                {
                    var cname = strings[r.ReadIndexBelow(strings.Length, "constructor name")];
                    var nparams = r.ReadCount("constructor parameter count");
                    var ps = new int[nparams];
                    for (var j = 0; j < nparams; j++)
                    {
                        ps[j] = r.ReadIndexBelow(ntypes, "constructor parameter type");
                    }

                    constructs[i] = (cname, ps);
                }

                links.Add(all =>
                {
                    var resolved = new HlEnumConstruct[constructs.Length];
                    for (var i = 0; i < resolved.Length; i++)
                    {
                        resolved[i] = new HlEnumConstruct(constructs[i].Name, Resolve(constructs[i].Params, all));
                    }

                    e.Constructs = resolved;
                });
                return e;
            }

            case HlTypeKind.Ref:
            case HlTypeKind.Null:
            case HlTypeKind.Packed:
            {
                var wrapper = new HlWrapperType(kind, index);
                var inner = r.ReadIndexBelow(ntypes, "wrapped type");
                links.Add(all => wrapper.Inner = all[inner]);
                return wrapper;
            }

            default:
                return new HlPrimitiveType(kind, index);
        }
    }

    private static int? ReadOptionalGlobal(ref ByteReader r, int nglobals)
    {
        // The bytecode stores global + 1, with 0 meaning "no global".
        var at = r.Position;
        var global = r.ReadUIndex("global");
        if (global > nglobals)
        {
            throw ByteReader.Error(at, $"bad global {global - 1} (expected 0 to {nglobals - 1})");
        }

        return global == 0 ? null : global - 1;
    }

    private static (string Name, int Type)[] ReadFieldRefs(ref ByteReader r, int count, ImmutableArray<string> strings, int ntypes)
    {
        var fields = new (string, int)[count];
        for (var i = 0; i < count; i++)
        {
            fields[i] = (strings[r.ReadIndexBelow(strings.Length, "field name")], r.ReadIndexBelow(ntypes, "field type"));
        }

        return fields;
    }

    // Loops, not Array.ConvertAll: its instantiations over these tuples and ints have no
    // ReadyToRun code, and were JIT-compiled at every load.
    private static HlField[] ResolveFields((string Name, int Type)[] fields, HlType[] all)
    {
        var resolved = new HlField[fields.Length];
        for (var i = 0; i < resolved.Length; i++)
        {
            resolved[i] = new HlField(fields[i].Name, all[fields[i].Type]);
        }

        return resolved;
    }

    private static HlType[] Resolve(int[] indices, HlType[] all)
    {
        var resolved = new HlType[indices.Length];
        for (var i = 0; i < resolved.Length; i++)
        {
            resolved[i] = all[indices[i]];
        }

        return resolved;
    }

    private readonly record struct FunctionContext(
        int Version, int Ints, int Floats, int Strings, int Bytes, int Globals, int Types, int FunctionIndices, int DebugFiles);

    private static HlFunction ReadFunction(ref ByteReader r, ImmutableArray<HlType> types, ImmutableArray<string> strings, bool hasDebug, FunctionContext context)
    {
        var type = ReadFunctionType(ref r, types, "function type");
        var findex = r.ReadIndexBelow(context.FunctionIndices, "function index");
        var nregs = r.ReadCount("register count");
        var nops = r.ReadCount("operation count");
        var regs = new HlType[nregs];
        for (var i = 0; i < nregs; i++)
        {
            regs[i] = types[r.ReadIndexBelow(types.Length, "register type")];
        }

        if (type.Arguments.Count > nregs)
        {
            r.Fail($"function {findex} has {type.Arguments.Count} arguments but only {nregs} registers");
        }

        var ops = new HlOp[nops];
        for (var i = 0; i < nops; i++)
        {
            ops[i] = ReadOp(ref r, i, nops, nregs, context);
        }

        var debug = ImmutableArray<HlDebugPosition>.Empty;
        var assigns = ImmutableArray<HlAssign>.Empty;
        if (hasDebug)
        {
            debug = ReadDebugInfo(ref r, nops, context.DebugFiles);
            if (context.Version >= 3)
            {
                var nassigns = r.ReadCount("assign count", 2);
                var list = new HlAssign[nassigns];
                for (var i = 0; i < nassigns; i++)
                {
                    var name = strings[r.ReadIndexBelow(strings.Length, "assign name")];
                    list[i] = new HlAssign(name, r.ReadIndex("assign position"));
                }

                assigns = ImmutableCollectionsMarshal.AsImmutableArray(list);
            }
        }

        return new HlFunction(findex, type, ImmutableCollectionsMarshal.AsImmutableArray(regs), ImmutableCollectionsMarshal.AsImmutableArray(ops), debug, assigns);
    }

    private static HlOp ReadOp(ref ByteReader r, int opIndex, int nops, int nregs, FunctionContext context)
    {
        var at = r.Position;
        int code = r.ReadByte("opcode");
        if (code >= HlOpcodeShape.OpcodeCount)
        {
            throw ByteReader.Error(at, $"bad opcode {code}");
        }

        var opcode = (HlOpcode)code;
        var shape = HlOpcodeShape.Of(opcode);
        int p1 = 0, p2 = 0, p3 = 0;
        ImmutableArray<int> extra;
        if (opcode == HlOpcode.Switch)
        {
            p1 = ReadOperand(ref r, HlOperandKind.Register, opIndex, nops, nregs, context);
            p2 = r.ReadCount("switch case count");
            var cases = new int[p2];
            for (var i = 0; i < p2; i++)
            {
                cases[i] = ReadOperand(ref r, HlOperandKind.Jump, opIndex, nops, nregs, context);
            }

            p3 = ReadOperand(ref r, HlOperandKind.Jump, opIndex, nops, nregs, context);
            extra = ImmutableCollectionsMarshal.AsImmutableArray(cases);
        }
        else if (shape.VariableOperand is { } each)
        {
            p1 = ReadOperand(ref r, shape.Operands[0], opIndex, nops, nregs, context);
            p2 = ReadOperand(ref r, shape.Operands[1], opIndex, nops, nregs, context);
            p3 = r.ReadByte("argument count");
            var args = new int[p3];
            for (var i = 0; i < p3; i++)
            {
                args[i] = ReadOperand(ref r, each, opIndex, nops, nregs, context);
            }

            extra = ImmutableCollectionsMarshal.AsImmutableArray(args);
        }
        else
        {
            // Most operations have at most three operands: read them without allocating.
            var operands = shape.Operands;
            var count = operands.Length;
            p1 = count > 0 ? ReadOperand(ref r, operands[0], opIndex, nops, nregs, context) : 0;
            p2 = count > 1 ? ReadOperand(ref r, operands[1], opIndex, nops, nregs, context) : 0;
            p3 = count > 2 ? ReadOperand(ref r, operands[2], opIndex, nops, nregs, context) : 0;
            if (count > 3)
            {
                var rest = new int[count - 3];
                for (var i = 0; i < rest.Length; i++)
                {
                    rest[i] = ReadOperand(ref r, operands[i + 3], opIndex, nops, nregs, context);
                }

                extra = ImmutableCollectionsMarshal.AsImmutableArray(rest);
            }
            else
            {
                extra = [];
            }
        }

        return new HlOp(opcode, p1, p2, p3, extra);
    }

    private static int ReadOperand(ref ByteReader r, HlOperandKind kind, int opIndex, int nops, int nregs, FunctionContext c)
    {
        switch (kind)
        {
            case HlOperandKind.Register: return r.ReadIndexBelow(nregs, "register");
            case HlOperandKind.IntConstant: return r.ReadIndexBelow(c.Ints, "int constant index");
            case HlOperandKind.FloatConstant: return r.ReadIndexBelow(c.Floats, "float constant index");
            case HlOperandKind.StringConstant: return r.ReadIndexBelow(c.Strings, "string index");
            case HlOperandKind.BytesConstant: return r.ReadIndexBelow(c.Version >= 5 ? c.Bytes : c.Strings, "bytes index");
            case HlOperandKind.Global: return r.ReadIndexBelow(c.Globals, "global index");
            case HlOperandKind.Type: return r.ReadIndexBelow(c.Types, "type index");
            case HlOperandKind.Function: return r.ReadIndexBelow(c.FunctionIndices, "function index");
            case HlOperandKind.Jump:
            {
                var at = r.Position;
                var offset = r.ReadIndex("jump offset");
                var target = (long)opIndex + 1 + offset;
                if (target < 0 || target > nops)
                {
                    throw ByteReader.Error(at, $"jump to operation {target} is outside the function (0 to {nops})");
                }

                return offset;
            }

            default: return r.ReadIndex("operand");
        }
    }

    private static ImmutableArray<HlDebugPosition> ReadDebugInfo(ref ByteReader r, int nops, int nfiles)
    {
        // The encoding (HashLink's code.c): bit 0 sets the file; bit 1 repeats the current
        // position for up to 15 operations then moves the line; bit 2 moves the line by a small
        // delta; otherwise the byte and two more give an absolute line.
        var debug = new HlDebugPosition[nops];
        int file = -1, line = 0, i = 0;
        while (i < nops)
        {
            var at = r.Position;
            int c = r.ReadByte("debug information");
            if ((c & 1) != 0)
            {
                file = ((c >> 1) << 8) | r.ReadByte("debug file");
                if (file >= nfiles)
                {
                    throw ByteReader.Error(at, $"bad debug file {file} (expected 0 to {nfiles - 1})");
                }
            }
            else if ((c & 2) != 0)
            {
                var delta = c >> 6;
                var count = (c >> 2) & 15;
                if (i + count > nops)
                {
                    throw ByteReader.Error(at, "debug information covers more operations than the function has");
                }

                while (count-- > 0)
                {
                    debug[i++] = new HlDebugPosition(file, line);
                }

                line += delta;
            }
            else if ((c & 4) != 0)
            {
                line += c >> 3;
                debug[i++] = new HlDebugPosition(file, line);
            }
            else
            {
                int b2 = r.ReadByte("debug line");
                int b3 = r.ReadByte("debug line");
                line = (c >> 3) | (b2 << 5) | (b3 << 13);
                debug[i++] = new HlDebugPosition(file, line);
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(debug);
    }
}
