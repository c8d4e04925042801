using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FilesAndNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PhotoIds",
                table: "case_events",
                type: "TEXT",
                unicode: false,
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "files",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    UploaderUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UploaderName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ThumbnailSha256 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_files", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    DedupeKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SmsState = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: true),
                    SmsAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_files_GridCode",
                table: "files",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_files_OwnerId",
                table: "files",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_files_Sha256",
                table: "files",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_files_UploaderUserId",
                table: "files",
                column: "UploaderUserId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_SmsState_pending",
                table: "notifications",
                column: "SmsState",
                filter: "\"SmsState\" = 'pending'");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_CreatedAt",
                table: "notifications",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_DedupeKey",
                table: "notifications",
                columns: new[] { "UserId", "DedupeKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "files");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropColumn(
                name: "PhotoIds",
                table: "case_events");
        }
    }
}
