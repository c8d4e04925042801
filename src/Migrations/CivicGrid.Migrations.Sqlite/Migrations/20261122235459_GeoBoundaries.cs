using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DivisionCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Wkb = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MinX = table.Column<double>(type: "REAL", nullable: false),
                    MinY = table.Column<double>(type: "REAL", nullable: false),
                    MaxX = table.Column<double>(type: "REAL", nullable: false),
                    MaxY = table.Column<double>(type: "REAL", nullable: false),
                    ValidFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidTo = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
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
