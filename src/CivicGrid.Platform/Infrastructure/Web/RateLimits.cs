using System.Globalization;
using System.Threading.RateLimiting;
using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Infrastructure.Web;

/// <summary>
/// Rate limits per client address: sign-in (password guessing across accounts, which the per-account
/// lockout alone does not stop), public endpoints (anonymous reads, QR pages) and the 随手拍 form
/// (its reads as public ones, its submissions per hour). Limits are settings
/// (<c>RateLimits:SignInPerMinute</c>, <c>RateLimits:PublicPerMinute</c>, <c>RateLimits:SnapPerHour</c>);
/// over the limit the answer is a 429 problem with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>Sign-in: the token endpoint and the sign-in page.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Endpoints open to anonymous callers.</summary>
    public const string Public = "public";

    /// <summary>The resident's 随手拍 pages: reads as <see cref="Public"/>, submissions (POST) per hour.</summary>
    public const string Snap = "snap";

    /// <summary>Registers the policies.</summary>
    public static IServiceCollection AddCivicGridRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<RateLimiterOptions>>(sp =>
            new Microsoft.Extensions.Options.ConfigureOptions<RateLimiterOptions>(options =>
            {
                var configuration = sp.GetRequiredService<IConfiguration>();
                var signIn = configuration.GetValue("RateLimits:SignInPerMinute", 20);
                var open = configuration.GetValue("RateLimits:PublicPerMinute", 120);
                options.AddPolicy(SignIn, context => PerClient(context, signIn));
                options.AddPolicy(Public, context => PerClient(context, open));
                var snapPerHour = configuration.GetValue("RateLimits:SnapPerHour", 30);
                options.AddPolicy(Snap, context => HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter("post:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = snapPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 })
                    : PerClient(context, open));
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                options.OnRejected = async (context, cancellationToken) =>
                {
                    var response = context.HttpContext.Response;
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    {
                        response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }
                    await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "请求过于频繁",
                            detail: "Too many requests from this address; try again later.",
                            extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "request.rate_limited" })
                        .ExecuteAsync(context.HttpContext);
                };
            }));
        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
