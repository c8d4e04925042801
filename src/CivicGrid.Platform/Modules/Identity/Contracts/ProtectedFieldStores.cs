namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// A table holding values protected by <see cref="IFieldProtector"/>, registered by its module
/// (scoped, as <c>IProtectedFieldStore</c>) so that key rotation re-encrypts it with the others:
/// the background re-encryption job and <c>keys reencrypt</c> run every registered store.
/// </summary>
public interface IProtectedFieldStore
{
    /// <summary>A short stable name for logs and the CLI, e.g. <c>users.phone</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Re-encrypts under the current key every value for which <see cref="IFieldProtector.NeedsRotation"/>
    /// is true, in batches; returns how many were rewritten. Must be idempotent and safe to stop at
    /// any point (every value stays readable under its own key version) and must not overwrite a
    /// value changed meanwhile.
    /// </summary>
    Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken);
}
