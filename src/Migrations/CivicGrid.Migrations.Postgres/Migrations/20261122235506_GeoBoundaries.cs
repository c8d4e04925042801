using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class GeoBoundaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "geo_boundaries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Wkb = table.Column<byte[]>(type: "bytea", nullable: false),
                    MinX = table.Column<double>(type: "double precision", nullable: false),
                    MinY = table.Column<double>(type: "double precision", nullable: false),
                    MaxX = table.Column<double>(type: "double precision", nullable: false),
                    MaxY = table.Column<double>(type: "double precision", nullable: false),
                    ValidFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ValidTo = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_geo_boundaries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_geo_boundaries_geo_divisions_DivisionCode",
                        column: x => x.DivisionCode,
                        principalTable: "geo_divisions",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_geo_boundaries_DivisionCode_ValidTo",
                table: "geo_boundaries",
                columns: new[] { "DivisionCode", "ValidTo" });

            migrationBuilder.CreateIndex(
                name: "IX_geo_boundaries_ValidTo",
                table: "geo_boundaries",
                column: "ValidTo");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "geo_boundaries");
        }
    }
}
