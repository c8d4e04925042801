namespace CivicGrid.Infrastructure.Jobs;

/// <summary>
/// The loop of every background job: one pass at once (when the host starts), then one every
/// period on the registered <see cref="TimeProvider"/> (so tests drive it with a fake clock). A
/// failed pass (database down) is reported and the loop carries on; stopping the host ends it.
/// Passes must be idempotent and restart-safe: a crash between two passes loses nothing.
/// </summary>
public static class PeriodicJob
{
    /// <summary>Runs <paramref name="pass"/> now and then every <paramref name="period"/> until <paramref name="stoppingToken"/> fires.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> pass, TimeSpan period, TimeProvider time,
        Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(onFailure);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a background loop must survive a failed pass
            catch (Exception e)
#pragma warning restore CA1031
            {
                onFailure(e);
            }
            try
            {
                await Task.Delay(period, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
