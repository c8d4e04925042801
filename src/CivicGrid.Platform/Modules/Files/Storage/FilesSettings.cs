using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Files.Storage;

/// <summary>
/// <c>Files:Root</c>, the folder of the local blob store (default <c>data/files</c> beside the
/// SQLite file and the key ring, relative to the working directory), and <c>Files:MaxMegabytes</c>,
/// the largest upload (default 10), and <c>Files:UnattachedDays</c>, how long an upload that was
/// never attached to anything is kept before the sweep deletes it (default 7).
/// </summary>
internal sealed record FilesSettings(string Root, int MaxMegabytes, int UnattachedDays = FilesSettings.DefaultUnattachedDays)
{
    public const int DefaultUnattachedDays = 7;

    public static readonly string DefaultRoot = Path.Combine("data", "files");

    public long MaxBytes => MaxMegabytes * 1024L * 1024L;

    public static FilesSettings From(IConfiguration configuration)
    {
        var root = configuration["Files:Root"] is { Length: > 0 } configured ? configured : DefaultRoot;
        var max = configuration.GetValue("Files:MaxMegabytes", 10);
        if (max is < 1 or > 1024)
        {
            throw new InvalidOperationException($"Files:MaxMegabytes is {max}; expected 1 to 1024.");
        }
        var unattached = configuration.GetValue("Files:UnattachedDays", DefaultUnattachedDays);
        if (unattached is < 1 or > 365)
        {
            throw new InvalidOperationException($"Files:UnattachedDays is {unattached}; expected 1 to 365.");
        }
        return new FilesSettings(Path.GetFullPath(root), max, unattached);
    }
}
