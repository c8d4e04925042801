using CivicGrid.Modules.Identity.Protection;

namespace CivicGrid.Tests.Identity;

/// <summary>Processes starting together on a fresh machine must end up with one key ring, never a half-written one.</summary>
public sealed class FieldKeyRingCreationTests
{
    [Fact]
    public async Task Many_first_loads_at_once_all_read_the_one_complete_ring()
    {
        var folder = Directory.CreateTempSubdirectory("cg-ring-");
        try
        {
            var path = Path.Combine(folder.FullName, "keys", "field-keys.json");
            using var start = new ManualResetEventSlim();
            var loads = Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
            {
                start.Wait(TestContext.Current.CancellationToken);
                return FieldKeyRing.Load(null, path);
            })).ToList();
            start.Set();
            var rings = await Task.WhenAll(loads);
            rings.Select(r => Convert.ToHexString(r.IndexKey)).Distinct().Should().ContainSingle();
            rings.Select(r => Convert.ToHexString(r.CurrentKey)).Distinct().Should().ContainSingle();
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle("no temporary file is left behind");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
