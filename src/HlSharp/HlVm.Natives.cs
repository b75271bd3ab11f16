using HlSharp.Engine;

namespace HlSharp;

/// <summary>Host natives (<see cref="HlVmOptions.Natives"/>): checked against the program's declarations at load.</summary>
public sealed partial class HlVm
{
    /// <summary>Checks every bound host native's delegate against the native's Haxe signature and attaches the conversion table; the problems, one a line.</summary>
    private string HostNativeProblems(HlHostNatives.Resolver resolver)
    {
        var problems = new List<string>();
        foreach (var (library, name, native) in resolver.Bound)
        {
            native.Values = Values;
            var parameters = native.Invoke.GetParameters();
            var haxe = $"({string.Join(", ", native.Arguments.Select(HaxeTypeNames.Of))}) -> {HaxeTypeNames.Of(native.Return!)}";
            var host = HaxeTypeNames.Signature(native.Function.GetType());
            string? problem = null;
            if (parameters.Length != native.Arguments.Length)
            {
                problem = $"{parameters.Length} parameters for {native.Arguments.Length}";
            }
            else
            {
                for (var i = 0; i < parameters.Length && problem is null; i++)
                {
                    if (parameters[i].ParameterType.IsByRef || !Values.Accepts(native.Arguments[i], parameters[i].ParameterType))
                    {
                        problem = $"parameter {i + 1}: {HaxeTypeNames.Of(parameters[i].ParameterType)} cannot stand for {HaxeTypeNames.Of(native.Arguments[i])}";
                    }
                }

                var returns = native.Invoke.ReturnType;
                if (problem is null && native.Return!.Kind != Bytecode.HlTypeKind.Void && returns != typeof(void) && !Values.Accepts(native.Return, returns))
                {
                    problem = $"the result: {HaxeTypeNames.Of(returns)} cannot stand for {HaxeTypeNames.Of(native.Return)}";
                }
                else if (problem is null && native.Return!.Kind != Bytecode.HlTypeKind.Void && returns == typeof(void))
                {
                    problem = $"the delegate returns nothing, the native returns {HaxeTypeNames.Of(native.Return)}";
                }
            }

            if (problem is not null)
            {
                problems.Add($"host native {library}@{name} is {haxe} in Haxe, the delegate is {host} ({problem})");
            }
        }

        return string.Join("\n", problems);
    }
}
