using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RegistryOrganizationsPlacesComponents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_components",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Class = table.Column<int>(type: "integer", nullable: false),
                    Subclass = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_components", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_organizations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CreditCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: true),
                    LegalRepresentative = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    PhoneCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    PhoneIndex = table.Column<byte[]>(type: "bytea", nullable: true),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_organizations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_places",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ResponsiblePerson = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_places", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_Code",
                table: "registry_components",
                column: "Code");

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_GridCode",
                table: "registry_components",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_GridCode_Class",
                table: "registry_components",
                columns: new[] { "GridCode", "Class" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_CreditCode",
                table: "registry_organizations",
                column: "CreditCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_GridCode",
                table: "registry_organizations",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_PhoneIndex",
                table: "registry_organizations",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "IX_registry_places_GridCode",
                table: "registry_places",
                column: "GridCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_components");

            migrationBuilder.DropTable(
                name: "registry_organizations");

            migrationBuilder.DropTable(
                name: "registry_places");
        }
    }
}
