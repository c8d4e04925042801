using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddSnapReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "snap_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackingCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", unicode: false, maxLength: 24, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    PlaceKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: true),
                    ClientKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    BodyHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HiddenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HiddenBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RedactedPhotoIds = table.Column<string>(type: "TEXT", unicode: false, maxLength: 400, nullable: true),
                    RatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_snap_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_snap_reports_CaseId",
                table: "snap_reports",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_snap_reports_ClientKey",
                table: "snap_reports",
                column: "ClientKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_snap_reports_TrackingCode",
                table: "snap_reports",
                column: "TrackingCode",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "snap_reports");
        }
    }
}
