namespace HlSharp.Tests.Infrastructure;

/// <summary>Finds the repository from the test binaries, so tests read fixtures where they live.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Cache => Path.Combine(Root, ".cache");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HlSharp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find HlSharp.sln above " + AppContext.BaseDirectory);
    }
}
