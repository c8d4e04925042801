using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>
/// Hands out the day's case numbers <c>SJ-YYYYMMDD-NNNNN</c>. The day's counter row is bumped by
/// one atomic upsert (same SQL on SQLite 3.35+ and PostgreSQL), committed on its own, so numbers
/// are unique across instances. A quiet process takes one number at a time, so numbers stay dense;
/// a process taking numbers faster than one per <see cref="BusyWithin"/> takes blocks that double
/// up to <see cref="MaxBlock"/>, so a peak does not queue every intake behind one hot row and one
/// extra commit each. A restart or a failed intake leaves a gap, never a duplicate (docs/adr/0013).
/// </summary>
internal sealed class CaseNumbers(LocalTime time)
{
    public const int MaxBlock = 64;
    public static readonly TimeSpan BusyWithin = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refill = new(1, 1);
    private readonly Lock _gate = new();
    private string _day = string.Empty;
    private long _next;
    private long _end;
    private int _block = 1;
    private DateTimeOffset _lastRefill = DateTimeOffset.MinValue;

    public async Task<string> NextAsync(CivicGridDbContext db, CancellationToken cancellationToken)
    {
        var day = time.Today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        while (true)
        {
            if (TryTake(day) is { } number)
            {
                return number;
            }
            await _refill.WaitAsync(cancellationToken);
            try
            {
                if (TryTake(day) is { } another)
                {
                    return another;
                }
                var now = time.UtcNow;
                int block;
                lock (_gate)
                {
                    _block = _day == day && now - _lastRefill < BusyWithin ? Math.Min(MaxBlock, _block * 2) : 1;
                    block = _block;
                }
                var end = (await db.Database.SqlQuery<long>($"""
                    INSERT INTO case_number_counters ("Day", "Value") VALUES ({day}, {block})
                    ON CONFLICT ("Day") DO UPDATE SET "Value" = case_number_counters."Value" + {block}
                    RETURNING "Value"
                    """).ToListAsync(cancellationToken))[0];
                lock (_gate)
                {
                    (_day, _next, _end, _lastRefill) = (day, end - block + 1, end, now);
                }
            }
            finally
            {
                _refill.Release();
            }
        }
    }

    private string? TryTake(string day)
    {
        lock (_gate)
        {
            if (_day != day || _next > _end)
            {
                return null;
            }
            return string.Create(CultureInfo.InvariantCulture, $"SJ-{day}-{_next++:D5}");
        }
    }
}
