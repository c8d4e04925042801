using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Identity.Protection;

/// <summary>A rotation done: where the ring is, which version is now current, how many keys it holds.</summary>
internal sealed record KeyRotation(string Path, uint CurrentVersion, int Keys);

/// <summary>How many values one store re-encrypted under the current key.</summary>
internal sealed record ReEncryption(string Store, int Count);

/// <summary>
/// Key rotation's use cases, behind the CLI's <c>keys rotate|reencrypt</c> and the background
/// <see cref="FieldReEncryptionJob"/>: add a current key to the ring file; re-encrypt every
/// registered <see cref="IProtectedFieldStore"/> under the current key.
/// </summary>
internal sealed class FieldKeys(IConfiguration configuration, IFieldProtector protector, IEnumerable<IProtectedFieldStore> stores)
{
    /// <summary>
    /// Adds a new random key to the ring file and makes it current; the older keys stay to read what
    /// they wrote. A process that already loaded the ring keeps using it until it restarts.
    /// </summary>
    public Result<KeyRotation> Rotate()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(FieldKeyRing.EnvironmentVariable)))
        {
            return Error.Conflict("keys.ring_from_environment",
                $"字段密钥环来自环境变量 {FieldKeyRing.EnvironmentVariable}，无法在此轮换：请在保管该变量的密钥管理系统中添加新版本密钥并设为 current，然后重启服务。");
        }
        var path = FieldKeyRing.ConfiguredPath(configuration);
        var next = FieldKeyRing.Load(null, path).WithNewKey();
        next.Save(path);
        return new KeyRotation(Path.GetFullPath(path), next.CurrentVersion, next.Versions.Count);
    }

    /// <summary>Runs every registered store once, in registration order.</summary>
    public async Task<IReadOnlyList<ReEncryption>> ReEncryptAllAsync(CancellationToken cancellationToken)
    {
        var results = new List<ReEncryption>();
        foreach (var store in stores)
        {
            results.Add(new ReEncryption(store.Name, await store.ReEncryptAsync(protector, cancellationToken)));
        }
        return results;
    }
}
