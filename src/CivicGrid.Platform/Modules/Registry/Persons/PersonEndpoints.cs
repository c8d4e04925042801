using System.Diagnostics;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary><c>/api/v1/persons</c>: residents within the caller's jurisdictions, numbers masked; audited writes and unmask.</summary>
internal static class PersonEndpoints
{
    public static RouteGroupBuilder MapPersonEndpoints(this RouteGroupBuilder api)
    {
        var persons = api.MapGroup("/persons").WithTags("Registry");

        persons.MapGet("/", async (string? within, string? q, string? idNumber, string? last4, string? tag, int? page, int? pageSize,
                PersonDirectory directory, CancellationToken ct) =>
            (await directory.ListAsync(within, q, idNumber, last4, tag, page, pageSize, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("List persons within the caller's jurisdictions, paged and masked: within a division or grid code, q matches the name or its pinyin initials (zs → 张三), idNumber finds an exact document number, last4 the last four characters of the ID or phone, tag a tag")
            .Produces<Paged<PersonView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        persons.MapGet("/{id:guid}", async (Guid id, PersonDirectory directory, CancellationToken ct) =>
            (await directory.GetAsync(id, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("One person, masked; a person outside the caller's jurisdictions is 404")
            .Produces<PersonView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        persons.MapPost("/", async Task<Results<Created<PersonView>, ProblemHttpResult>> (PersonInput input, PersonDirectory directory,
                CancellationToken ct) =>
            {
                var result = await directory.CreateAsync(input, ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/persons/{result.Value.Id}", result.Value)
                    : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("Register a person in a grid of the caller's jurisdiction; ID check digit, birth date and sex are checked; a registered document number is 409")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        persons.MapPut("/{id:guid}", async (Guid id, PersonInput input, PersonDirectory directory, CancellationToken ct) =>
            (await directory.UpdateAsync(id, input, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("Replace a person's fields (every field of the body); audited with the names of the changed fields")
            .Produces<PersonView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        persons.MapPost("/{id:guid}/unmask", async (Guid id, PersonUnmaskRequest body, PersonDirectory directory, HttpContext http,
                CancellationToken ct) =>
            {
                var result = await directory.UnmaskAsync(id, body, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, ct);
                // A clear value must not linger in a browser or proxy cache.
                http.Response.Headers.CacheControl = "no-store";
                return result.ToHttp();
            })
            .RequireCapability(Capabilities.RegistryUnmask)
            .WithSummary("See a person's clear ID number or phone once, stating why (at least 4 characters); the look is written to the audit log")
            .Produces<PersonUnmasked>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
