using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Infrastructure.Web;

/// <summary>
/// The API accepts the pages' sign-in cookie so that a page script (the map editor) can call it,
/// but a cookie rides along on any cross-site request: a write authenticated by the cookie must
/// also carry the antiforgery token in <c>X-CSRF-TOKEN</c>. Bearer-token calls need nothing more.
/// </summary>
public static class CookieApiAntiforgery
{
    /// <summary>Checks unsafe API requests that were authenticated by cookie.</summary>
    public static IApplicationBuilder UseCookieApiAntiforgery(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (ApiPaths.IsApi(request)
                && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                && context.User.Identity is { IsAuthenticated: true, AuthenticationType: "Cookies" })
            {
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "缺少或无效的防伪令牌",
                            detail: "A write made with the sign-in cookie must send the page's antiforgery token in X-CSRF-TOKEN.",
                            extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "auth.antiforgery" })
                        .ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
}
