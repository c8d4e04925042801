using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>A bad row: its row number in the file (header = 1), the column (header text) and why.</summary>
public sealed record ImportRowError(int Row, string Column, string Reason);

/// <summary>
/// What an import did (or, for a dry run, would do). <c>Unchanged</c> rows were already registered with
/// the same values. <c>Preview</c> holds the first rows with their problems (dry run and page).
/// </summary>
public sealed record LedgerImportReport(
    Guid Id, string FileName, string Format, string? Encoding, bool DryRun, int Rows, int Imported, int Updated, int Unchanged,
    int Rejected, IReadOnlyList<ImportRowError> Errors, string? RejectsUrl, IReadOnlyList<string> Headers,
    IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<PreviewRow> Preview, TimeSpan Elapsed);

/// <summary>A previewed row: its number, cells, and the problems found in it (empty when it would be imported).</summary>
public sealed record PreviewRow(int Row, IReadOnlyList<string?> Cells, IReadOnlyList<ImportRowError> Problems);

/// <summary>The progress of an import, polled by the page while a long file is processed.</summary>
public sealed record ImportProgress(Guid Id, string Status, string FileName, int Processed, int Imported, int Updated, int Unchanged,
    int Rejected, string? RejectsUrl);

/// <summary>One ledger import: who ran it, progress and counts, and where its rejected rows are.</summary>
internal sealed class ImportRun
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    public Guid Id { get; set; }

    public string Kind { get; set; } = "person";

    public string FileName { get; set; } = string.Empty;

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string Status { get; set; } = Running;

    public int Processed { get; set; }

    public int Imported { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Rejected { get; set; }

    /// <summary>The rejected rows' .xlsx on the server's disk, when there were any.</summary>
    public string? RejectsPath { get; set; }
}

/// <summary>A remembered column mapping, keyed by the header signature of a ledger template.</summary>
internal sealed class ImportTemplate
{
    public string Signature { get; set; } = string.Empty;

    public string Headers { get; set; } = string.Empty;

    public string Mapping { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("registry_import_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasMaxLength(20).IsUnicode(false).IsRequired();
        builder.Property(r => r.FileName).HasMaxLength(260).IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Status).HasMaxLength(20).IsUnicode(false).IsRequired();
        builder.Property(r => r.RejectsPath).HasMaxLength(500);
        // Not scoped by a jurisdiction: a run is its author's (the use case checks CreatedBy).
        builder.HasIndex(r => r.CreatedBy);
    }
}

internal sealed class ImportTemplateConfiguration : IEntityTypeConfiguration<ImportTemplate>
{
    public void Configure(EntityTypeBuilder<ImportTemplate> builder)
    {
        builder.ToTable("registry_import_templates");
        builder.HasKey(t => t.Signature);
        builder.Property(t => t.Signature).HasMaxLength(32).IsUnicode(false);
        builder.Property(t => t.Headers).HasMaxLength(4000).IsRequired();
        builder.Property(t => t.Mapping).HasMaxLength(4000).IsRequired();
        builder.Property(t => t.UpdatedBy).HasMaxLength(64).IsRequired();
    }
}
