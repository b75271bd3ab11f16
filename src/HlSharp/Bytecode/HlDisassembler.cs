using System.Globalization;

namespace HlSharp.Bytecode;

/// <summary>
/// Writes a readable listing of bytecode: a summary, the types, globals and natives, and every
/// function with its operations. Operands are shown by meaning (constants by value; functions,
/// globals, fields and enum constructors by name; jumps as labels <c>L12</c> naming the
/// operation they land on) and each operation ends with its source <c>file:line</c> when the
/// bytecode has debug information. Indices that name nothing print as <c>?N</c> instead of
/// failing, so a listing is a way to look at damaged bytecode too.
/// </summary>
/// <example>
/// <code>
/// var listing = new HlDisassembler(HlCode.ReadFile("app.hl"));
/// listing.Write(Console.Out);
/// listing.WriteFunctions(Console.Out, f => f.Name == "Main.main");
/// </code>
/// </example>
public sealed class HlDisassembler
{
    private const int OpcodeColumnWidth = 16;
    private const int OperandColumnWidth = 44;
    private const int RegistersPerLine = 8;

    private readonly HlGlobalNames _globals;

    /// <summary>Prepares a listing of the given bytecode.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    public HlDisassembler(HlCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Code = code;
        _globals = new HlGlobalNames(code);
    }

    /// <summary>The bytecode listed.</summary>
    public HlCode Code { get; }

    /// <summary>Writes the whole listing: summary, types, globals, natives, then every function.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteSummary(writer);
        WriteTypes(writer);
        WriteGlobals(writer);
        WriteNatives(writer);
        writer.WriteLine();
        writer.WriteLine(Invariant($"functions ({Code.Functions.Length})"));
        WriteFunctions(writer, static _ => true);
    }

    /// <summary>Writes only the functions a filter accepts, in bytecode order, without the tables.</summary>
    /// <returns>The number of functions written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="filter"/> is null.</exception>
    public int WriteFunctions(TextWriter writer, Func<HlFunction, bool> filter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(filter);
        var written = 0;
        foreach (var function in Code.Functions)
        {
            if (filter(function))
            {
                writer.WriteLine();
                WriteFunction(writer, function);
                written++;
            }
        }

        return written;
    }

    /// <summary>
    /// Writes one function: a header <c>fun#12 Main.main () -&gt; void</c>, the source position of
    /// its first operation, its registers, then one line per operation labelled with its index.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="function"/> is null.</exception>
    public void WriteFunction(TextWriter writer, HlFunction function)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(function);
        var named = function.Owner is not null;
        writer.WriteLine(Invariant($"fun#{function.Index}{(named ? " " + function.Name : string.Empty)} {function.Type}"));

        var formatter = new HlOpFormatter(Code, _globals, function);
        if (formatter.Position(0) is { } source)
        {
            writer.WriteLine("    source    " + source);
        }

        for (var first = 0; first < function.Registers.Length; first += RegistersPerLine)
        {
            var line = function.Registers.Skip(first).Take(RegistersPerLine).Select((t, i) => Invariant($"r{first + i}:{t}"));
            writer.WriteLine((first == 0 ? "    registers " : "              ") + string.Join(", ", line));
        }

        var labelWidth = Invariant($"L{function.Ops.Length}:").Length;
        for (var i = 0; i < function.Ops.Length; i++)
        {
            var label = Invariant($"L{i}:").PadRight(labelWidth);
            var text = Invariant($"  {label}  {function.Ops[i].Opcode,-OpcodeColumnWidth}{formatter.Operands(i)}").TrimEnd();
            writer.WriteLine(formatter.Position(i) is { } position
                ? text.PadRight(labelWidth + 4 + OpcodeColumnWidth + OperandColumnWidth) + "  ; " + position
                : text);
        }

        if (formatter.JumpsToEnd())
        {
            writer.WriteLine(Invariant($"  {$"L{function.Ops.Length}:".PadRight(labelWidth)}  (end of function)"));
        }
    }

    private void WriteSummary(TextWriter w)
    {
        w.WriteLine(Invariant($"hashlink bytecode version {Code.Version}, debug info {(Code.HasDebugInfo ? "yes" : "no")}"));
        w.WriteLine(Invariant($"ints {Code.Ints.Length}, floats {Code.Floats.Length}, strings {Code.Strings.Length}, bytes {Code.BytesCount}, ") +
            Invariant($"types {Code.Types.Length}, globals {Code.Globals.Length}, natives {Code.Natives.Length}, ") +
            Invariant($"functions {Code.Functions.Length}, constants {Code.Constants.Length}"));
        w.WriteLine("entrypoint " + FunctionReference(Code.EntryPoint));
    }

    private void WriteTypes(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine(Invariant($"types ({Code.Types.Length})"));
        foreach (var type in Code.Types)
        {
            var label = Invariant($"  t{type.Index}").PadRight(8);
            switch (type)
            {
                case HlObjectType obj:
                    WriteObjectType(w, label, obj);
                    break;
                case HlEnumType e:
                    w.WriteLine(label + "enum " + type + GlobalSuffix(e.GlobalIndex));
                    for (var i = 0; i < e.Constructs.Count; i++)
                    {
                        var c = e.Constructs[i];
                        var parameters = c.Parameters.Count == 0 ? string.Empty : "(" + string.Join(", ", c.Parameters) + ")";
                        w.WriteLine(Invariant($"          {i} {c.Name}{parameters}"));
                    }

                    break;
                case HlVirtualType v:
                    w.WriteLine(label + "virtual");
                    for (var i = 0; i < v.Fields.Count; i++)
                    {
                        w.WriteLine(Invariant($"          field {i} {v.Fields[i].Name} : {v.Fields[i].Type}"));
                    }

                    break;
                default:
                    w.WriteLine(label + type);
                    break;
            }
        }
    }

    private void WriteObjectType(TextWriter w, string label, HlObjectType obj)
    {
        var kind = obj.Kind == HlTypeKind.Struct ? "struct " : "class ";
        var super = obj.Super is { } s ? " extends " + s.Name : string.Empty;
        w.WriteLine(label + kind + obj.Name + super + GlobalSuffix(obj.GlobalIndex));

        // Field numbers are those field operations use: super class fields first.
        var first = HlMembers.InheritedFieldCount(obj);
        for (var i = 0; i < obj.Fields.Count; i++)
        {
            w.WriteLine(Invariant($"          field {first + i} {obj.Fields[i].Name} : {obj.Fields[i].Type}"));
        }

        foreach (var proto in obj.Protos)
        {
            var slot = proto.SlotIndex >= 0 ? Invariant($" (slot {proto.SlotIndex})") : string.Empty;
            w.WriteLine(Invariant($"          method {proto.Name} = {FunctionReference(proto.FunctionIndex)}{slot}"));
        }

        foreach (var binding in obj.Bindings)
        {
            var field = HlMembers.Field(obj, binding.FieldIndex)?.Name ?? HlOpFormatter.Unknown(binding.FieldIndex);
            w.WriteLine(Invariant($"          binding {field} = {FunctionReference(binding.FunctionIndex)}"));
        }
    }

    private void WriteGlobals(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine(Invariant($"globals ({Code.Globals.Length})"));
        for (var i = 0; i < Code.Globals.Length; i++)
        {
            var line = Invariant($"  g{i}").PadRight(8) + Code.Globals[i];
            if (_globals.Holder(i) is { } holder)
            {
                line += "  (" + holder + ")";
            }

            if (_globals.Constant(i) is { } constant)
            {
                line += " = " + constant;
            }

            w.WriteLine(line);
        }
    }

    private void WriteNatives(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine(Invariant($"natives ({Code.Natives.Length})"));
        foreach (var native in Code.Natives)
        {
            w.WriteLine(Invariant($"  fun#{native.Index}").PadRight(12) + native + " " + native.Type);
        }
    }

    /// <summary>A function index with its name when it has one: <c>fun#12 Main.main</c>, <c>fun#3 std@math_sqrt</c>, <c>fun#40</c>.</summary>
    private string FunctionReference(int functionIndex)
    {
        var name = HlOpFormatter.Function(Code, functionIndex);
        var number = Invariant($"fun#{functionIndex}");
        return name == number || name == HlOpFormatter.Unknown(functionIndex) ? number : number + " " + name;
    }

    private static string GlobalSuffix(int? global) => global is { } g ? Invariant($" (global g{g})") : string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
