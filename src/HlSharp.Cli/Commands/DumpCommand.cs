using System.CommandLine;
using System.Text;
using HlSharp.Bytecode;

namespace HlSharp.Cli.Commands;

/// <summary><c>hlsharp dump app.hl [--function NAME]</c>: prints a readable listing of the bytecode.</summary>
internal sealed class DumpCommand : CliCommand
{
    private readonly Argument<string> _file = new("file") { Description = "The .hl bytecode file to list." };
    private readonly Option<string> _function = new("--function", "-f") { Description = FunctionSelector.Help, HelpName = "NAME" };

    public DumpCommand()
        : base("dump", "Print a readable listing of a .hl file: summary, types, globals, natives and every function's operations.")
    {
        Arguments.Add(_file);
        Options.Add(_function);
    }

    protected override int Execute(ParseResult parseResult)
    {
        var path = parseResult.GetRequiredValue(_file);
        var code = BytecodeFile.Read(path);
        var disassembler = new HlDisassembler(code);
        var selector = parseResult.GetValue(_function);

        // Select before writing anything, so a selector that matches nothing prints only its error.
        var selected = selector is null ? null : FunctionSelector.Select(code, selector).ToHashSet();

        // Console.Out flushes on every write; a listing can run to hundreds of thousands of lines.
        using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        try
        {
            if (selected is null)
            {
                disassembler.Write(output);
            }
            else
            {
                disassembler.WriteFunctions(output, selected.Contains);
            }

            output.Flush();
        }
        catch (IOException e)
        {
            throw new CommandFailedException("cannot write the listing: " + e.Message, e);
        }

        return ExitCodes.Success;
    }
}
