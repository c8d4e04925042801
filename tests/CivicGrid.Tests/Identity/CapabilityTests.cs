using System.Security.Claims;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Tests.Identity;

/// <summary>A capability holds within the role's jurisdiction and everything under it, and nowhere else.</summary>
public sealed class CapabilityTests
{
    private static ClaimsPrincipal Caller(params RoleGrant[] grants) => new(new ClaimsIdentity(
        grants.Select(g => new Claim(RoleGrant.ClaimType, g.ToClaimValue())), "test"));

    [Fact]
    public void A_township_user_may_dispatch_in_its_township_and_below_but_not_next_door()
    {
        var caller = Caller(new RoleGrant(Roles.Township, "150203003"));

        caller.HasCapability(Capabilities.CasesDispatch, "150203003").Should().BeTrue();
        caller.HasCapability(Capabilities.CasesDispatch, "150203003001001").Should().BeTrue();
        caller.HasCapability(Capabilities.CasesDispatch, "150203004").Should().BeFalse();
        caller.HasCapability(Capabilities.CasesDispatch, "150203").Should().BeFalse("the district is above the township");
        caller.HasCapability(Capabilities.UsersManage, "150203003").Should().BeFalse();
    }

    [Fact]
    public void Every_role_has_a_row_in_the_table_and_a_grant_round_trips_through_its_claim()
    {
        Capabilities.Grants.Keys.Should().BeEquivalentTo(Roles.All);
        var grant = new RoleGrant(Roles.Department, "150203", "urban-management");
        RoleGrant.FromClaimValue(grant.ToClaimValue()).Should().Be(grant);
        Caller(grant).Grants().Should().Equal(grant);
        Caller().HasCapability(Capabilities.RegistryRead, "150203").Should().BeFalse();
    }
}
