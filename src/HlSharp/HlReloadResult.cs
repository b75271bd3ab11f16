using System.Globalization;
using System.Text;

namespace HlSharp;

/// <summary>
/// What one reload did (<see cref="HlVm.Reload()"/> and the other reload calls, and
/// <see cref="HlVm.Reloaded"/>): the functions, closures, classes, statics and fields it changed or
/// added, or, when <see cref="Refused"/> is not empty, why it changed nothing at all. Functions are
/// named <c>Type.field</c> (<c>Main.update</c>, <c>game.Player.hit</c>), closures after the function
/// that creates them and their rank in it (<c>Main.start~0</c> is the first closure
/// <c>Main.start</c> creates).
/// </summary>
public sealed class HlReloadResult
{
    internal HlReloadResult(
        string? path,
        IReadOnlyList<string> functionsChanged,
        IReadOnlyList<string> functionsAdded,
        IReadOnlyList<string> closuresChanged,
        IReadOnlyList<string> classesAdded,
        IReadOnlyList<string> staticsAdded,
        IReadOnlyList<string> fieldsAdded,
        IReadOnlyList<HlReloadRefusal> refused,
        TimeSpan duration)
    {
        Path = path;
        FunctionsChanged = functionsChanged;
        FunctionsAdded = functionsAdded;
        ClosuresChanged = closuresChanged;
        ClassesAdded = classesAdded;
        StaticsAdded = staticsAdded;
        FieldsAdded = fieldsAdded;
        Refused = refused;
        Duration = duration;
    }

    /// <summary>The file the new version was read from, or null when it came as bytes.</summary>
    public string? Path { get; }

    /// <summary>Methods and static functions whose bodies were replaced: the next call runs the new body.</summary>
    public IReadOnlyList<string> FunctionsChanged { get; }

    /// <summary>Methods and static functions the new version brought (those of added classes included).</summary>
    public IReadOnlyList<string> FunctionsAdded { get; }

    /// <summary>Closures whose bodies were replaced: closure values made before the reload run the new body too.</summary>
    public IReadOnlyList<string> ClosuresChanged { get; }

    /// <summary>Classes and enums the new version brought, by Haxe name.</summary>
    public IReadOnlyList<string> ClassesAdded { get; }

    /// <summary>Static variables added to classes that existed, initialised by their initialisers (<c>Main.bonus</c>).</summary>
    public IReadOnlyList<string> StaticsAdded { get; }

    /// <summary>Instance fields added to classes that existed (<c>Player.shield</c>): existing instances read the field's default until it is written.</summary>
    public IReadOnlyList<string> FieldsAdded { get; }

    /// <summary>Why the reload was refused, one entry per type or member; empty when it was applied.</summary>
    public IReadOnlyList<HlReloadRefusal> Refused { get; }

    /// <summary>Whether the new version was applied (nothing was refused).</summary>
    public bool Applied => Refused.Count == 0;

    /// <summary>Whether it was applied and changed or added nothing (the same program again).</summary>
    public bool IsEmpty => Applied && FunctionsChanged.Count + FunctionsAdded.Count + ClosuresChanged.Count
        + ClassesAdded.Count + StaticsAdded.Count + FieldsAdded.Count == 0;

    /// <summary>How long the reload took, from reading the new version to the last slot repointed (or to the refusal).</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// One line for a log: <c>reloaded in 12 ms: 2 functions changed (Main.update, Main.draw), 1 class added (Boss)</c>,
    /// <c>reloaded in 3 ms: no change</c>, or <c>reload refused: class Main.answer: signature changed ...; ...</c>.
    /// </summary>
    public override string ToString()
    {
        if (!Applied)
        {
            return "reload refused (nothing changed): " + string.Join("; ", Refused);
        }

        var line = new StringBuilder("reloaded in ").Append(Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)).Append(" ms: ");
        var parts = new List<string>();
        Describe(parts, FunctionsChanged, "function changed", "functions changed");
        Describe(parts, FunctionsAdded, "function added", "functions added");
        Describe(parts, ClosuresChanged, "closure changed", "closures changed");
        Describe(parts, ClassesAdded, "class added", "classes added");
        Describe(parts, StaticsAdded, "static added", "statics added");
        Describe(parts, FieldsAdded, "field added", "fields added");
        return line.Append(parts.Count == 0 ? "no change" : string.Join(", ", parts)).ToString();
    }

    private static void Describe(List<string> parts, IReadOnlyList<string> names, string one, string many)
    {
        if (names.Count > 0)
        {
            // A long list is cut: the line is for a log, the lists are on the result.
            var shown = names.Count <= 6 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + $", and {names.Count - 5} more";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{names.Count} {(names.Count == 1 ? one : many)} ({shown})"));
        }
    }
}
