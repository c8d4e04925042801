using System.IO.Compression;

namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>Division tables in a folder.</summary>
public sealed class FolderDivisionTables(string folder) : IDivisionTables
{
    /// <inheritdoc />
    public Stream? Open(string fileName)
    {
        var path = Path.Combine(folder, fileName);
        return File.Exists(path) ? File.OpenRead(path) : null;
    }
}

/// <summary>Division tables in a zip archive (at its root or in one folder inside it).</summary>
public sealed class ZipDivisionTables(ZipArchive archive) : IDivisionTables
{
    /// <inheritdoc />
    public Stream? Open(string fileName)
    {
        var entry = archive.Entries.FirstOrDefault(e =>
            string.Equals(e.Name, fileName, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            return null;
        }
        // Copy out: zip entry streams are not seekable and the reader wants the whole table.
        var copy = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(copy);
        }
        copy.Position = 0;
        return copy;
    }
}
