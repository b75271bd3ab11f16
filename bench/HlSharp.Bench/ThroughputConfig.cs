using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HlSharp.Bench;

/// <summary>Adds the file size and a megabytes-per-second column to benchmarks that read a program.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ThroughputConfig()
    {
        AddColumn(new SizeColumn(), new MegabytesPerSecondColumn());
    }

    private static long? FileSize(BenchmarkCase benchmarkCase)
    {
        // The case's "Program" parameter names the file; by the time the summary is printed the
        // benchmark has compiled it, so asking for its path does not compile anything again.
        var program = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(ReadBenchmarks.Program))?.Value as string;
        return program is null ? null : new FileInfo(BenchPrograms.PathOf(program)).Length;
    }

    private sealed class SizeColumn : IColumn
    {
        public string Id => "HlSharp.FileSize";
        public string ColumnName => "File";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Params;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Size;
        public string Legend => "Size of the .hl file";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            FileSize(benchmarkCase) is { } size ? (size / 1e6).ToString("0.00 'MB'", CultureInfo.InvariantCulture) : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class MegabytesPerSecondColumn : IColumn
    {
        public string Id => "HlSharp.MBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "File size (10^6 bytes) divided by the mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 && FileSize(benchmarkCase) is { } size
                ? (size / 1e6 / (mean.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture)
                : "-";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
