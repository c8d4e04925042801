using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistryHouses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_buildings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Floors = table.Column<int>(type: "INTEGER", nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_buildings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_compounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    PropertyCompany = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_compounds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_households",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HeadPersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Number = table.Column<string>(type: "TEXT", unicode: false, maxLength: 30, nullable: true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_households", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_houses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UnitId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Floor = table.Column<int>(type: "INTEGER", nullable: true),
                    Room = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Area = table.Column<decimal>(type: "TEXT", precision: 10, scale: 2, nullable: true),
                    Use = table.Column<int>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_houses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_residences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Relation = table.Column<int>(type: "INTEGER", nullable: false),
                    MovedInOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MovedOutOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_residences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_units",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuildingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_units", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_visits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PersonsChanged = table.Column<int>(type: "INTEGER", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RequestHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_visits", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_buildings_CompoundId",
                table: "registry_buildings",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_buildings_GridCode",
                table: "registry_buildings",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_compounds_GridCode",
                table: "registry_compounds",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_households_GridCode",
                table: "registry_households",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_households_HeadPersonId",
                table: "registry_households",
                column: "HeadPersonId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_households_HouseId",
                table: "registry_households",
                column: "HouseId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_houses_BuildingId",
                table: "registry_houses",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_houses_CompoundId",
                table: "registry_houses",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_houses_GridCode",
                table: "registry_houses",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_residences_GridCode",
                table: "registry_residences",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_residences_HouseholdId",
                table: "registry_residences",
                column: "HouseholdId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_residences_HouseId",
                table: "registry_residences",
                column: "HouseId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_residences_PersonId",
                table: "registry_residences",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_units_BuildingId",
                table: "registry_units",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_units_GridCode",
                table: "registry_units",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_visits_CreatedAt",
                table: "registry_visits",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_registry_visits_CreatedBy_IdempotencyKey",
                table: "registry_visits",
                columns: new[] { "CreatedBy", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_visits_GridCode",
                table: "registry_visits",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_visits_HouseId",
                table: "registry_visits",
                column: "HouseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_buildings");

            migrationBuilder.DropTable(
                name: "registry_compounds");

            migrationBuilder.DropTable(
                name: "registry_households");

            migrationBuilder.DropTable(
                name: "registry_houses");

            migrationBuilder.DropTable(
                name: "registry_residences");

            migrationBuilder.DropTable(
                name: "registry_units");

            migrationBuilder.DropTable(
                name: "registry_visits");
        }
    }
}
