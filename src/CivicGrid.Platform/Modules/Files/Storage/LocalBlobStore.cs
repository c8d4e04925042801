using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CivicGrid.Modules.Files.Contracts;

namespace CivicGrid.Modules.Files.Storage;

/// <summary>
/// The blob store in a local folder: <c>{root}/ab/cd/abcd…</c> by SHA-256. A blob is written to a
/// temporary file in <c>{root}/tmp</c> while it is hashed, flushed to disk, then moved to its key
/// (a rename within one file system is atomic) and the folder entry is flushed too, so an accepted
/// upload survives kill -9 and a power cut, and a reader never sees half a blob. The same bytes
/// stored twice are kept once. A blob stored again is touched (its time set to now), and the
/// sweep of unattached uploads deletes only a blob untouched since its cutoff, under the same lock:
/// an upload of the same bytes never loses its blob to the sweep.
/// </summary>
internal sealed partial class LocalBlobStore(FilesSettings settings, TimeProvider? time = null) : IBlobStore, IDisposable
{
    private const int BufferSize = 81920;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // Between "already stored: touch it" and the sweep's "untouched: delete it".
    private readonly SemaphoreSlim _keys = new(1, 1);

    public string Root { get; } = settings.Root;

    public async Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temporaryFolder = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        var temporary = Path.Combine(temporaryFolder, $"{Guid.NewGuid():N}.part");
        try
        {
            string sha256;
            long size = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize,
                    FileOptions.Asynchronous))
                {
                    var buffer = new byte[BufferSize];
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        size += read;
                        if (size > maxBytes)
                        {
                            throw new BlobTooLargeException($"The content is larger than {maxBytes} bytes.");
                        }
                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                    await output.FlushAsync(cancellationToken);
                    output.Flush(flushToDisk: true);
                }
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var path = PathOf(sha256);
            await _keys.WaitAsync(CancellationToken.None);
            try
            {
                if (File.Exists(path))
                {
                    // Already stored: the same bytes are kept once, and count as new for the sweep.
                    File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
                    return new StoredBlob(sha256, size);
                }
                var folder = Directory.CreateDirectory(Path.GetDirectoryName(path)!).FullName;
                File.SetLastWriteTimeUtc(temporary, _time.GetUtcNow().UtcDateTime);
                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process on the same folder stored the same bytes first: its blob is this one.
                }
                FlushFolder(folder);
                return new StoredBlob(sha256, size);
            }
            finally
            {
                _keys.Release();
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        if (!IsKey(sha256) || !File.Exists(PathOf(sha256)))
        {
            return Task.FromResult<Stream?>(null);
        }
        try
        {
            Stream stream = new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            return Task.FromResult<Stream?>(stream);
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsKey(sha256) && File.Exists(PathOf(sha256)));

    public async Task<bool> DeleteIfUntouchedAsync(string sha256, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        if (!IsKey(sha256))
        {
            return false;
        }
        var path = PathOf(sha256);
        await _keys.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) >= since.UtcDateTime)
            {
                return false;
            }
            File.Delete(path);
            FlushFolder(Path.GetDirectoryName(path)!);
            return true;
        }
        finally
        {
            _keys.Release();
        }
    }

    public void Dispose() => _keys.Dispose();

    private string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256[2..4], sha256);

    private static bool IsKey(string sha256) => sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigitLower);

    /// <summary>Makes the folder's new entry durable (fsync of the directory); Linux and macOS only, a no-op elsewhere.</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
