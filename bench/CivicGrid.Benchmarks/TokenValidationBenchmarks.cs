using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Benchmarks;

/// <summary>
/// What a bearer token costs a request: the built-in handler unprotecting and checking the ticket
/// (Data Protection, in memory), then our caller and data scope read from its claims. Target:
/// ≤ 0.1 ms. The baseline is the same pipeline for a request without a token.
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private ServiceProvider? _services;
    private string _header = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        services.AddAuthentication(TokenIssuer.Scheme).AddBearerToken(TokenIssuer.Scheme);
        _services = services.BuildServiceProvider();

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Guid.CreateVersion7().ToString()),
            new(ClaimTypes.Name, "demo-grid-worker"),
            new(ClaimTypes.Role, Roles.GridWorker),
            new(RoleGrant.ClaimType, new RoleGrant(Roles.GridWorker, "150203001019003").ToClaimValue()),
        };
        var now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, TokenIssuer.Scheme)),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddMinutes(15) }, TokenIssuer.Scheme);
        var protector = _services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(TokenIssuer.Scheme).BearerTokenProtector;
        _header = "Bearer " + protector.Protect(ticket);
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    private async Task<int> AuthenticateAsync(string? header)
    {
        var context = new DefaultHttpContext { RequestServices = _services! };
        if (header is not null)
        {
            context.Request.Headers.Authorization = header;
        }
        var result = await context.AuthenticateAsync(TokenIssuer.Scheme);
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
        var caller = new Caller(new HttpContextAccessor { HttpContext = context });
        return caller.Roots.Count;
    }

    [Benchmark(Baseline = true, Description = "request without a token")]
    public Task<int> NoToken() => AuthenticateAsync(null);

    [Benchmark(Description = "validate a bearer token and build the caller's scope")]
    public Task<int> BearerToken() => AuthenticateAsync(_header);
}
