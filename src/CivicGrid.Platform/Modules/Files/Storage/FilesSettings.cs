using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Files.Storage;

/// <summary>
/// <c>Files:Root</c>, the folder of the local blob store (default <c>data/files</c> beside the
/// SQLite file and the key ring, relative to the working directory), and <c>Files:MaxMegabytes</c>,
/// the largest upload (default 10).
/// </summary>
internal sealed record FilesSettings(string Root, int MaxMegabytes)
{
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
        return new FilesSettings(Path.GetFullPath(root), max);
    }
}
