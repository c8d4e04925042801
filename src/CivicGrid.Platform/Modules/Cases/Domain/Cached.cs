namespace CivicGrid.Modules.Cases.Domain;

/// <summary>
/// A value read now and then and kept for a while (the category table, usage counts): the first
/// caller after <c>keepFor</c> reads it again; a clock set back also forces a read.
/// </summary>
internal sealed class Cached<T>(TimeProvider clock, TimeSpan keepFor) where T : class
{
    private readonly Lock _gate = new();
    private (T Value, DateTimeOffset ReadAt)? _cached;

    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_cached is { } c && now - c.ReadAt < keepFor && now >= c.ReadAt)
            {
                return c.Value;
            }
        }
        var value = await read(cancellationToken);
        lock (_gate)
        {
            _cached = (value, now);
        }
        return value;
    }

    /// <summary>Forgets the value: the next caller reads it.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _cached = null;
        }
    }
}
