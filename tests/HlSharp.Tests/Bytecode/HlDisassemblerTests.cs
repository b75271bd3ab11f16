using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Bytecode;

public sealed partial class HlDisassemblerTests
{
    private static readonly Lazy<(HlCode Code, string Listing)> Sample = new(() =>
    {
        var code = DumpSample.Code;
        return (code, Listing(code));
    });

    private static HlCode Code => Sample.Value.Code;

    private static string FullListing => Sample.Value.Listing;

    [Fact]
    public void Summary_gives_the_version_the_table_sizes_and_the_entry_point()
    {
        var lines = FullListing.Split('\n');

        Assert.Equal("hashlink bytecode version 4, debug info yes", lines[0]);
        Assert.Equal(
            $"ints {Code.Ints.Length}, floats {Code.Floats.Length}, strings {Code.Strings.Length}, bytes 0, types {Code.Types.Length}, " +
            $"globals {Code.Globals.Length}, natives {Code.Natives.Length}, functions {Code.Functions.Length}, constants {Code.Constants.Length}",
            lines[1]);
        Assert.Equal($"entrypoint fun#{Code.EntryPoint}", lines[2]);
    }

    [Fact]
    public void Every_function_gets_a_header_with_its_name_and_signature()
    {
        var main = Function("Main.main");
        var headers = FullListing.Split('\n').Where(l => l.StartsWith("fun#", StringComparison.Ordinal)).ToList();

        Assert.Equal(Code.Functions.Length, headers.Count);
        Assert.Contains($"fun#{main.Index} Main.main () -> void", headers);
        Assert.Contains($"fun#{Function("Main.area").Index} Main.area (Shape) -> f64", headers);
        Assert.Contains($"fun#{Function("Point.len").Index} Point.len (Point) -> f64", headers);
    }

    [Fact]
    public void Function_header_gives_the_source_of_its_first_operation_and_its_registers()
    {
        var lines = FunctionLines("Main.main");

        Assert.Equal($"    source    Main.hx:{DumpSample.LineOf("first")}", lines[1]);
        Assert.StartsWith("    registers r0:Point, r1:f64, ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_name_the_callee_and_end_with_the_statement_source_line()
    {
        var call = Assert.Single(FunctionLines("Main.main"), l => l.Contains("Point.len(", StringComparison.Ordinal));

        Assert.Matches(@"^  L\d+: +Call1 +r\d+, Point\.len\(r0\) +; Main\.hx:" + DumpSample.LineOf("call") + "$", call);
    }

    [Fact]
    public void Natives_are_listed_as_lib_at_name_and_calls_to_them_use_that_name()
    {
        Assert.Matches(@"(?m)^  fun#\d+ +std@math_sqrt \(f64\) -> f64$", FullListing);
        Assert.Contains(FunctionLines("Point.len"), l => Regex.IsMatch(l, @"Call1 +r\d+, std@math_sqrt\(r\d+\)"));
    }

    [Fact]
    public void Field_operations_name_the_field_from_the_register_type()
    {
        var field = Assert.Single(FunctionLines("Main.main"), l => Regex.IsMatch(l, @" Field +r\d+, r0\.x "));
        var len = FunctionLines("Point.len");

        Assert.EndsWith($"; Main.hx:{DumpSample.LineOf("field")}", field, StringComparison.Ordinal);
        Assert.Contains(len, l => Regex.IsMatch(l, @"GetThis +r\d+, this\.x "));
        Assert.Contains(len, l => Regex.IsMatch(l, @"GetThis +r\d+, this\.y "));
        Assert.Contains(FunctionLines("Point.__constructor__"), l => Regex.IsMatch(l, @"SetThis +this\.y, r2 "));
    }

    [Fact]
    public void Method_calls_resolve_the_method_slot_on_the_receiver_class()
    {
        // `catch (e:String)` unwraps the caught haxe.Exception with a virtual call.
        Assert.Contains(FunctionLines("Main.main"), l => Regex.IsMatch(l, @"CallMethod +r\d+, r\d+\.unwrap\(\)"));
    }

    [Fact]
    public void String_constants_are_shown_quoted_and_escaped()
    {
        var main = FunctionLines("Main.main");

        Assert.Contains(main, l => Regex.IsMatch(l, @"GetGlobal +r\d+, g\d+ \(String ""too big""\) +; Main\.hx:" + DumpSample.LineOf("throw") + "$"));
        Assert.Contains(main, l => l.Contains(@"(String ""x=\"""")", StringComparison.Ordinal));
        Assert.Contains(main, l => l.Contains(@"(String ""\""\t"")", StringComparison.Ordinal));
    }

    [Fact]
    public void Jumps_show_labels_of_operations_that_exist_in_the_same_function()
    {
        foreach (var name in new[] { "Main.main", "Main.area" })
        {
            var lines = FunctionLines(name);
            var labels = lines.Select(l => LabelPattern().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
            var targets = lines
                .Where(l => LabelPattern().IsMatch(l))
                .Select(l => LabelPattern().Replace(l, string.Empty).Split(';')[0])
                .SelectMany(operands => Regex.Matches(operands, @"\bL(\d+)\b").Select(m => m.Groups[1].Value))
                .ToList();

            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.Contains(t, labels));
        }

        Assert.Contains(FunctionLines("Main.main"), l => Regex.IsMatch(l, @"Trap +r\d+, L\d+ "));
    }

    [Fact]
    public void Enum_switches_list_their_case_labels_and_constructors_by_name()
    {
        var area = FunctionLines("Main.area");
        var line = Assert.Single(area, l => l.Contains(" Switch ", StringComparison.Ordinal));
        var cases = Regex.Match(line, @"Switch +r\d+, \[L(\d+), L(\d+), L\d+\], default L\d+ ");

        // Each case label lands on the code that reads that constructor's fields.
        Assert.True(cases.Success, line);
        Assert.Matches(@"EnumField +r\d+, r0\.Circle\[0\] ", Assert.Single(area, l => l.StartsWith($"  L{cases.Groups[1].Value}:", StringComparison.Ordinal)));
        Assert.Matches(@"EnumField +r\d+, r0\.Rect\[0\] ", Assert.Single(area, l => l.StartsWith($"  L{cases.Groups[2].Value}:", StringComparison.Ordinal)));
        Assert.Contains(area, l => Regex.IsMatch(l, @"EnumField +r\d+, r0\.Circle\[0\] "));
        Assert.Contains(area, l => Regex.IsMatch(l, @"EnumField +r\d+, r0\.Rect\[1\] "));
        Assert.Contains(FunctionLines("Main.main"), l => Regex.IsMatch(l, @"MakeEnum +r\d+, Circle\(r\d+\) "));
    }

    [Fact]
    public void Closures_name_the_function_they_wrap()
    {
        var closure = Assert.Single(FunctionLines("Main.main"), l => l.Contains("InstanceClosure", StringComparison.Ordinal));
        var index = int.Parse(Regex.Match(closure, @"fun#(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.NotNull(Code.GetFunction(index));
        Assert.Contains(FunctionLines("Main.main"), l => Regex.IsMatch(l, @"CallClosure +r\d+, r\d+\(r\d+\)"));
    }

    [Fact]
    public void Types_list_classes_with_fields_and_methods_and_enums_with_constructors()
    {
        var point = (HlObjectType)Code.Types.Single(t => t is HlObjectType { Name: "Point" });
        var len = Function("Point.len");

        Assert.Contains($"  t{point.Index}".PadRight(8) + $"class Point (global g{point.GlobalIndex})\n" +
            "          field 0 x : f64\n" +
            "          field 1 y : f64\n" +
            $"          method len = fun#{len.Index} Point.len", FullListing, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  t\d+ +enum Shape \(global g\d+\)\n {10}0 Circle\(f64\)\n {10}1 Rect\(f64, f64\)\n {10}2 Dot$", FullListing);
        Assert.Matches(@"(?m)^ {10}binding main = fun#\d+ Main\.main$", FullListing);
    }

    [Fact]
    public void Globals_say_which_class_or_enum_they_hold_and_their_constant()
    {
        Assert.Matches(@"(?m)^  g\d+ +\$Point  \(class Point\)$", FullListing);
        Assert.Matches(@"(?m)^  g\d+ +\$Shape  \(enum Shape\)$", FullListing);
        Assert.Matches(@"(?m)^  g\d+ +String = \{bytes=""too big"", length=7\}$", FullListing);
    }

    [Fact]
    public void Static_functions_of_packaged_classes_are_named_without_the_dollar()
    {
        Assert.Contains(Code.Functions, f => f.Name == "haxe.Exception.thrown");
        Assert.DoesNotContain(Code.Functions, f => f.Name.Contains(".$", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteFunctions_writes_only_the_functions_the_filter_accepts()
    {
        var writer = new StringWriter();

        var count = new HlDisassembler(Code).WriteFunctions(writer, f => f.Name.StartsWith("Point.", StringComparison.Ordinal));

        var headers = writer.ToString().Split('\n').Where(l => l.StartsWith("fun#", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, count);
        Assert.Equal(2, headers.Count);
        Assert.All(headers, h => Assert.Contains(" Point.", h, StringComparison.Ordinal));
        Assert.DoesNotContain("types (", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Indices_that_name_nothing_print_as_question_marks_instead_of_throwing()
    {
        var code = DamagedCode();

        var listing = Listing(code);

        var ops = listing.Split('\n').Where(l => Regex.IsMatch(l, @"^  L\d+:")).ToList();
        Assert.Equal(
            [
                "Field r1, r0.?7",
                "CallMethod r1, r0.?9(r1)",
                "CallThis r1, this.?5()",
                "EnumAlloc r2, ?4",
                "Field r1, r1.?0",
                "Call0 r1, ?99()",
                "GetGlobal r1, ?12",
                "Int r1, ?30",
                "String r1, ?40",
                "JAlways ?105",
                "Mov r1, ?50",
                "Switch r1, [?200], default L0",
            ],
            ops.Select(l => Regex.Replace(l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..l.IndexOf(';', StringComparison.Ordinal)].Trim(), " +", " ")));
        Assert.All(ops, l => Assert.EndsWith("; ?5:10", l, StringComparison.Ordinal));
        Assert.Contains("          method len = fun#42 (slot 0)", listing, StringComparison.Ordinal);
        Assert.Contains("          binding ?9 = fun#0", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jump_past_the_last_operation_lands_on_an_end_label()
    {
        // Valid bytecode: HashLink lets a switch default leave the function this way.
        var listing = Listing(DamagedCode([new(HlOpcode.Switch, 1, 1, 1, [0]), new(HlOpcode.Nop, 0, 0, 0, [])]));

        Assert.Contains("Switch          r1, [L1], default L2", listing, StringComparison.Ordinal);
        Assert.Contains("\n  L2:  (end of function)\n", listing, StringComparison.Ordinal);
    }

    private static string Listing(HlCode code)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new HlDisassembler(code).Write(writer);
        return writer.ToString();
    }

    private static HlFunction Function(string name) => Assert.Single(Code.Functions, f => f.Name == name);

    /// <summary>The lines of one function's listing: its header, source, registers and operations.</summary>
    private static List<string> FunctionLines(string name)
    {
        var header = $"fun#{Function(name).Index} {name} ";
        var lines = FullListing.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no header for {name}");
        return lines.Skip(start).TakeWhile(l => l.Length > 0).ToList();
    }

    /// <summary>
    /// Bytecode the reader would never produce: field, method, constructor, function, global and
    /// constant indices that name nothing, a jump out of the function, a register that does not exist.
    /// </summary>
    private static HlCode DamagedCode(HlOp[]? ops = null)
    {
        var voidType = new HlPrimitiveType(HlTypeKind.Void, 0);
        var i32 = new HlPrimitiveType(HlTypeKind.I32, 1);
        var point = new HlObjectType(HlTypeKind.Obj, 2, "Point")
        {
            Fields = [new HlField("x", i32)],
            Protos = [new HlProto("len", 42, 0)],
            Bindings = [new HlBinding(9, 0)],
        };
        var shape = new HlEnumType(3, "Shape") { Constructs = [new HlEnumConstruct("Dot", [])] };
        var type = new HlFunctionType(HlTypeKind.Fun, 4) { Arguments = [point], ReturnType = voidType };
        ops ??=
        [
            new(HlOpcode.Field, 1, 0, 7, []),
            new(HlOpcode.CallMethod, 1, 9, 2, [0, 1]),
            new(HlOpcode.CallThis, 1, 5, 0, []),
            new(HlOpcode.EnumAlloc, 2, 4, 0, []),
            new(HlOpcode.Field, 1, 1, 0, []),
            new(HlOpcode.Call0, 1, 99, 0, []),
            new(HlOpcode.GetGlobal, 1, 12, 0, []),
            new(HlOpcode.Int, 1, 30, 0, []),
            new(HlOpcode.String, 1, 40, 0, []),
            new(HlOpcode.JAlways, 95, 0, 0, []),
            new(HlOpcode.Mov, 1, 50, 0, []),
            new(HlOpcode.Switch, 1, 1, -12, [188]),
        ];
        var function = new HlFunction(
            0,
            type,
            [point, i32, shape],
            [.. ops],
            [.. ops.Select(_ => new HlDebugPosition(5, 10))],
            []);
        return new HlCode(new HlCodeParts
        {
            Version = 4,
            HasDebugInfo = true,
            Types = [voidType, i32, point, shape, type],
            Functions = [function],
            FunctionsByIndex = [function],
            EntryPoint = 0,
        });
    }

    [GeneratedRegex(@"^  L(\d+):")]
    private static partial Regex LabelPattern();
}
